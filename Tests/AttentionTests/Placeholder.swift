import Testing

@Test func placeholderAttentionTests() { #expect(1 + 1 == 2) }
