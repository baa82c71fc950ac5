import CVectorKernels
#if canImport(Glibc)
import Glibc
#endif

extension BLAS {
    /// Runs `body(0)`, …, `body(count − 1)` concurrently and returns when all have returned:
    /// the calling thread takes indices itself while up to `count − 1` helpers of the
    /// package's thread pool (`CVectorKernels_parallelFor`) join in.
    ///
    /// Why not `DispatchQueue.concurrentPerform`: its helpers sleep between calls, so every
    /// product of a forward pass pays a wake-up, and a helper woken late may find the caller
    /// has done all the work alone. The pool's helpers spin for 2 ms of their own CPU time
    /// after a job, so the kernels of one forward pass find them awake, then sleep, so an idle
    /// process does not spin (BENCHMARKS.md, "What each change bought"). A nested call, or one
    /// made while another thread holds the pool, runs on its own thread.
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
