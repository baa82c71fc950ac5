import CVectorKernels
#if canImport(Glibc)
import Glibc
#endif

extension BLAS {
    /// Runs `body(0)`, …, `body(count − 1)` concurrently and returns when all have returned:
    /// the calling thread takes indices itself while up to `count − 1` helpers of the
    /// package's thread pool (`CVectorKernels_parallelFor`) join in.
    ///
    /// Why not `DispatchQueue.concurrentPerform`: its caller sleeps until the last iteration
    /// ends and its helpers sleep between calls; on this VM waking a sleeping thread costs
    /// ~25 µs, and at times the second worker of a 2-thread job never started before the
    /// caller had done all of it (whole streaks of 2-thread runs at 1-thread speed). The
    /// pool's helpers spin for 2 ms after a job, so the kernels of one forward pass find them
    /// awake, then sleep: an idle process spins for nothing. A nested
    /// call, or one made while another thread holds the pool, runs on its own thread.
    public static func forkJoin(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let box = ForkJoinBody(body)
        withExtendedLifetime(box) {
            CVectorKernels_parallelFor(count, count, { context, index in
                Unmanaged<ForkJoinBody>.fromOpaque(context!).takeUnretainedValue().body(index)
            }, Unmanaged.passUnretained(box).toOpaque())
        }
    }
}

/// The closure of one `forkJoin` call, passed to C as its context pointer.
private final class ForkJoinBody: Sendable {
    let body: @Sendable (Int) -> Void
    init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }
}
