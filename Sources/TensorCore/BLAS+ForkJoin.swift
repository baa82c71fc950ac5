import CVectorKernels
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension BLAS {
    /// Runs `body(0)`, …, `body(count − 1)` concurrently and returns when all have returned:
    /// the calling thread takes indices itself while up to `count − 1` helpers from Dispatch's
    /// global pool join in, and then spin-waits for the indices the helpers are still running.
    ///
    /// Why not `DispatchQueue.concurrentPerform`: its caller sleeps until the last iteration
    /// ends, and on this VM waking a sleeping thread costs ~25 µs; with the caller asleep when
    /// the helper finishes and the helper's CPU idle by the next call, a 0.24 ms product paid
    /// two wakes (0.28 ms against 0.23 ms with the caller spinning, measured in C on the patch
    /// embedding). The spin only covers work in flight on another thread (bounded by one index's
    /// run time; it yields the CPU after ~50 µs in case that thread was preempted), and helpers
    /// sleep in Dispatch's pool between calls: no thread spins while idle. Indices are claimed
    /// from a shared counter, so a helper that starts late (or never, when the pool is busy)
    /// only leaves more indices to the caller: nested calls cannot deadlock.
    static func forkJoin(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let state = ForkJoinState()
        @Sendable func drain() {
            while true {
                let index = state.next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                body(index)
                state.finished.add(1, ordering: .releasing)
            }
        }
        for _ in 1..<count { DispatchQueue.global().async { drain() } }
        drain()
        var spins = 0
        while state.finished.load(ordering: .acquiring) < count {
            spins += 1
            if spins < 20_000 {
                CVectorKernels_spinPause()
            } else {
                sched_yield()
            }
        }
    }
}

/// The counters of one `forkJoin` call: indices claimed and indices finished.
private final class ForkJoinState: Sendable {
    let next = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
}
