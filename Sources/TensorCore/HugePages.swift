#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large fresh buffers.
///
/// A buffer of tens of megabytes that is written once (attention maps, image canvases) costs
/// one page fault per 4 KB page on first touch: 8 000 faults for 33 MB of axial maps, ~20% of
/// that pass. Where the kernel's THP mode is `madvise` (Debian's default), asking for huge
/// pages on the 2 MB-aligned interior of such a buffer before writing it makes that a handful
/// of 2 MB faults. Advice only: on other systems, or if the kernel declines, nothing changes.
public enum HugePages {
    /// Buffers smaller than this are left alone.
    public static let minimumBytes = 4 << 20

    /// Advises huge pages for the 2 MB-aligned part of the `byteCount` bytes at `base`.
    public static func advise(_ base: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= minimumBytes else { return }
        let huge = 2 << 20
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + byteCount) & ~(huge - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, 14 /* MADV_HUGEPAGE */)
        #endif
    }

    /// `count` uninitialised floats, with huge pages advised when large. The caller writes
    /// every element before reading it.
    public static func uninitializedFloats(_ count: Int) -> [Float] { uninitialized(count) }

    /// `count` uninitialised bytes, with huge pages advised when large. The caller writes
    /// every element before reading it.
    public static func uninitializedBytes(_ count: Int) -> [UInt8] { uninitialized(count) }

    private static func uninitialized<Element: BitwiseCopyable>(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Element>.stride)
            }
            initialized = count
        }
    }
}
