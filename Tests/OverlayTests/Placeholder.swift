import Testing

@Test func placeholderOverlayTests() { #expect(1 + 1 == 2) }
