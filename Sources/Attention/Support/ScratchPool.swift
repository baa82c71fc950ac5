import Synchronization
import TensorCore

/// Float buffers kept between forward passes, so that the megabytes of intermediate planes
/// of a pass are not freshly mapped (and page-faulted, one fault per 4 KB) every time.
///
/// A pass borrows a buffer for the duration of a closure; concurrent passes get distinct
/// buffers. Contents are uninitialised: the borrower writes every element before reading it.
/// At most `retained` buffers are kept (the largest ones); the rest are freed on return.
final class ScratchPool: Sendable {
    /// The pool the attention modules share.
    static let shared = ScratchPool(retained: 4)

    /// Free buffers as (address, float count); addresses are stored as integers so the list
    /// is plain data under the lock.
    private let free = Mutex<[(address: Int, count: Int)]>([])
    private let retained: Int

    init(retained: Int) {
        self.retained = retained
    }

    deinit {
        free.withLock { list in
            for entry in list { UnsafeMutableRawPointer(bitPattern: entry.address)?.deallocate() }
            list.removeAll()
        }
    }

    /// Calls `body` with at least `count` uninitialised floats (64-byte aligned).
    func withFloats<Result>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Result) rethrows -> Result {
        let size = max(count, 16)
        let reused: (address: Int, count: Int)? = free.withLock { list in
            // The smallest free buffer that is large enough.
            var best: Int?
            for (index, entry) in list.enumerated() where entry.count >= size {
                if best == nil || entry.count < list[best!].count { best = index }
            }
            return best.map { list.remove(at: $0) }
        }
        let entry: (address: Int, count: Int)
        if let reused {
            entry = reused
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: size * MemoryLayout<Float>.stride, alignment: 64)
            HugePages.advise(raw, byteCount: size * MemoryLayout<Float>.stride)
            entry = (Int(bitPattern: raw), size)
        }
        defer {
            let evicted: (address: Int, count: Int)? = free.withLock { list in
                list.append(entry)
                guard list.count > retained else { return nil }
                let smallest = list.indices.min { list[$0].count < list[$1].count }!
                return list.remove(at: smallest)
            }
            if let evicted { UnsafeMutableRawPointer(bitPattern: evicted.address)?.deallocate() }
        }
        let pointer = UnsafeMutableRawPointer(bitPattern: entry.address)!.bindMemory(to: Float.self, capacity: entry.count)
        return try body(pointer)
    }
}
