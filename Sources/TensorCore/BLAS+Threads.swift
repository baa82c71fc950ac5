import CVectorKernels
#if canImport(Glibc)
import Glibc
#endif

extension BLAS {
    /// Readies the process's threads; the `vis` command calls it first thing.
    ///
    /// Sets OpenBLAS to one thread (``threadCount`` is the package's own), stops the workers
    /// OpenBLAS started when it loaded (``releaseIdleOpenBLASThreads()``), and starts the
    /// helpers of the fork-join pool (``forkJoin(_:_:)``) for `threadCount` workers asleep, so
    /// that the first job's wake-up, not the thread's creation, places each on a CPU (a helper
    /// created by its first job starts spinning on its caller's CPU and can stay there).
    public static func prepareThreads() {
        let workers = threadCount
        releaseIdleOpenBLASThreads()
        CVectorKernels_parallelPrepare(workers)
    }

    /// Stops OpenBLAS's idle worker threads: the package calls OpenBLAS single-threaded from
    /// its own workers, so they are never used.
    ///
    /// OpenBLAS (pthreads build) starts its workers when the library loads, and each spins in
    /// `sched_yield` for its `OPENBLAS_THREAD_TIMEOUT` before it sleeps: CPU taken from the
    /// start of every process, for threads that never get work.
    ///
    /// Calls OpenBLAS's own `blas_thread_shutdown_` (the function it runs before a `fork`),
    /// looked up at run time so a BLAS without it (an OpenMP build) is left alone. Returns
    /// whether the threads were stopped.
    @discardableResult
    public static func releaseIdleOpenBLASThreads() -> Bool {
        // nil is RTLD_DEFAULT: every library the process has loaded.
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return false }
        typealias Shutdown = @convention(c) () -> Int32
        return unsafeBitCast(symbol, to: Shutdown.self)() == 0
    }
}
