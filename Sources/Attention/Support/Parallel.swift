import TensorCore

/// Splits independent work over as many workers as a GEMM uses (`BLAS.threadCount`), for the
/// loops that are not GEMMs: softmax rows and the many small per-sequence products of axial
/// attention, on the same thread pool as the GEMMs (``BLAS/forkJoin(_:_:)``).
enum Parallel {
    /// Number of workers (at least 1).
    static var workers: Int { max(1, BLAS.threadCount) }

    /// Calls `body(range)` on disjoint ranges covering `0..<count`, concurrently when there
    /// are at least `minimumPerWorker` items per worker.
    static func forEachRange(_ count: Int, minimumPerWorker: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, count / max(minimumPerWorker, 1))
        guard chunks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // The callers hand each worker disjoint output ranges of buffers they own for the
        // duration of this synchronous call, so sharing the closure is safe.
        withoutActuallyEscaping(body) { work in
            nonisolated(unsafe) let shared = work
            BLAS.forkJoin(chunks) { chunk in
                shared((chunk * count / chunks)..<((chunk + 1) * count / chunks))
            }
        }
    }
}
