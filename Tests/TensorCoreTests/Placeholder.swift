import Testing

@Test func placeholderTensorCoreTests() { #expect(1 + 1 == 2) }
