import CImageCodecs

/// How the process's allocator treats large pixel buffers.
public enum ImageMemory {
    /// Buffers below 32 MB come from the heap, and freed ones are reused (glibc; elsewhere
    /// nothing changes). Returns whether the setting took.
    ///
    /// glibc raises its mmap threshold to that size by itself only after a block that large
    /// was freed; until then every canvas of a 1-MP image (3 MB) is a fresh mmap that the
    /// kernel clears page by page and that is unmapped again when freed, so a folder of
    /// images spends its system time in page faults (BENCHMARKS.md, "What each change bought").
    @discardableResult
    public static func reuseLargeBuffers() -> Bool {
        vis_memory_reuse_blocks(32 << 20, 64 << 20) == 1
    }
}
