import CVectorKernels

extension BLAS {
    /// Readies the process's threads; the `vis` command calls it first thing.
    ///
    /// Starts the helpers of the fork-join pool (``forkJoin(_:_:)``: softmax rows, axial
    /// sequences) for `threadCount` workers asleep, so that the first job's wake-up, not the
    /// thread's creation, places each on a CPU: created at their first job, a helper often
    /// stayed on its caller's CPU for a short process's whole run.
    public static func prepareThreads() {
        CVectorKernels_parallelPrepare(threadCount)
    }
}
