import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's memory, for refusing a computation whose buffers cannot fit in it before
/// they are allocated (an allocation that size aborts the process).
public enum PhysicalMemory {
    /// Physical memory in bytes (`sysconf`), or `Int.max` when it cannot be read.
    public static let bytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : Int.max
    }()

    /// Whether `floats` Float32 values (a Double, so that an overflowing count still compares)
    /// fit in `memory` bytes.
    public static func fits(floats: Double, memory: Int = bytes) -> Bool {
        4 * floats <= Double(memory)
    }

    /// `bytes` in gigabytes with one decimal, for the errors that refuse a size ("39062.6 GB").
    public static func gigabytes(_ bytes: Double) -> String {
        String(format: "%.1f GB", bytes / 1e9)
    }
}
