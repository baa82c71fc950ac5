import Testing

@Test func placeholdervisTests() { #expect(1 + 1 == 2) }
