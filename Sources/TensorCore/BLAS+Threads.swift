import CVectorKernels
#if canImport(Glibc)
import Glibc
#endif

extension BLAS {
    /// Readies the process's threads for GEMMs; the `vis` command calls it first thing.
    ///
    /// Stops OpenBLAS's idle workers when the package's kernel does the GEMMs
    /// (``releaseIdleOpenBLASThreads()``), and starts the helpers of the fork-join pool
    /// (``forkJoin(_:_:)``) for `threadCount` workers asleep, so that the first job's wake-up,
    /// not the thread's creation, places each on a CPU: created at their first job, the helper
    /// often stayed on its caller's CPU for a short process's whole run (`vis forward` of the
    /// patch embedding, 2 threads, 23 passes: 19 of 30 runs at 1-thread speed, 0 of 30 with
    /// the helpers started asleep beforehand).
    public static func prepareThreads() {
        releaseIdleOpenBLASThreads()
        CVectorKernels_parallelPrepare(threadCount)
    }

    /// Stops OpenBLAS's idle worker threads when the package's kernel does the GEMMs.
    ///
    /// OpenBLAS (pthreads build) starts its workers when the library loads, and each spins in
    /// `sched_yield` for its `OPENBLAS_THREAD_TIMEOUT` (~90 ms here) before it sleeps. With
    /// the ``Backend/visAVX512`` backend nothing calls OpenBLAS, yet that spin took a core
    /// from the first 90 ms of every process: a 12-MP render (0.2 s in all) lost ~10% of
    /// its CPU to it, and a `vis forward` of the patch embedding measured 0.25 or 0.45 ms
    /// depending on where the spinning thread landed.
    ///
    /// Calls OpenBLAS's own `blas_thread_shutdown_` (the function it runs before a `fork`),
    /// looked up at run time so a BLAS without it (an OpenMP build) is left alone. OpenBLAS
    /// starts its workers again by itself on its next threaded call. Returns whether the
    /// threads were stopped.
    @discardableResult
    public static func releaseIdleOpenBLASThreads() -> Bool {
        guard backend == .visAVX512, kernelAvailable else { return false }
        // nil is RTLD_DEFAULT: every library the process has loaded.
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else {
            return false
        }
        typealias Shutdown = @convention(c) () -> Int32
        return unsafeBitCast(symbol, to: Shutdown.self)() == 0
    }
}
