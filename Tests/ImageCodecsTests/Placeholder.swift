import Testing

@Test func placeholderImageCodecsTests() { #expect(1 + 1 == 2) }
