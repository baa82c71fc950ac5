import Synchronization
import Testing
@testable import TensorCore

/// `BLAS.forkJoin`: every index runs exactly once before it returns, also when called from
/// many threads at once and nested inside itself (helpers busy: callers take the indices).
struct ForkJoinTests {
    /// One atomic counter per index (atomics rather than a lock: ThreadSanitizer sees their
    /// ordering, and a doubly run index still counts 2).
    final class Counts: @unchecked Sendable {
        let slots: UnsafeMutablePointer<Atomic<Int>>
        let count: Int
        init(_ count: Int) {
            self.count = count
            slots = .allocate(capacity: count)
            for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
        }
        deinit {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        func bump(_ index: Int) { slots[index].add(1, ordering: .relaxed) }
        var values: [Int] { (0..<count).map { slots[$0].load(ordering: .relaxed) } }
    }

    @Test(arguments: [0, 1, 2, 3, 7])
    func everyIndexOnce(count: Int) {
        let counts = Counts(max(count, 1))
        BLAS.forkJoin(count) { counts.bump($0) }
        #expect(counts.values == (count == 0 ? [0] : Array(repeating: 1, count: count)))
    }

    /// 8 outer indices each running an inner fork-join of 5: 40 inner indices, each once.
    @Test func nestedAndConcurrent() async {
        let counts = Counts(40)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<2 {
                group.addTask {
                    BLAS.forkJoin(4) { outer in
                        BLAS.forkJoin(5) { inner in counts.bump((task * 4 + outer) * 5 + inner) }
                    }
                }
            }
        }
        #expect(counts.values == Array(repeating: 1, count: 40))
    }

    /// Thousands of back-to-back jobs of varying width, as a forward pass makes: the helpers
    /// go from one job to the next while spinning; a stale helper must never run an index of
    /// a finished job or run one twice (each job counts into its own slots).
    @Test func backToBackJobs() {
        let widths = [2, 3, 2, 8, 2, 5]
        let total = (0..<3000).reduce(0) { $0 + widths[$1 % widths.count] }
        let counts = Counts(total)
        var offset = 0
        for call in 0..<3000 {
            let width = widths[call % widths.count], base = offset
            BLAS.forkJoin(width) { counts.bump(base + $0) }
            offset += width
        }
        #expect(counts.values == Array(repeating: 1, count: total))
    }
}
