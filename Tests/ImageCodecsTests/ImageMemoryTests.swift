import Testing
@testable import ImageCodecs

/// The allocator setting takes on glibc (it did not while the C file tested `__GLIBC__`
/// before including any glibc header, which left the setting a silent no-op).
@Suite struct ImageMemoryTests {
    @Test func reuseLargeBuffersTakesOnGlibc() {
        #if os(Linux) && canImport(Glibc)
        #expect(ImageMemory.reuseLargeBuffers())
        #endif
    }
}
