import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to BLAS: OpenBLAS through `cblas.h`.
///
/// All matrices are row-major Float32. `C = alpha · op(A) · op(B) + beta · C`, where
/// op(A) is m×k, op(B) is k×n and C is m×n; `lda`, `ldb`, `ldc` are row strides in elements.
///
/// Threads: OpenBLAS runs single-threaded; a product of at least ``parallelMultiplyAdds``
/// is split into blocks of rows (or of columns when rows are few) of C over ``threadCount``
/// workers of the package's fork-join pool (``forkJoin(_:_:)``), each calling OpenBLAS. One
/// pool serves the GEMMs and the other kernels (softmax, axial attention): OpenBLAS's own
/// workers spin in `sched_yield` after every call and would compete with the pool's helpers
/// for the same cores (BENCHMARKS.md, "Kept libraries", has the numbers and the comparison
/// of OpenBLAS with BLIS and a kernel of our own that decided for OpenBLAS).
public enum BLAS {
    /// Row-major single-precision GEMM on raw buffers (`cblas_sgemm`), then `bias` (when
    /// given) added to every row of C: a layer's product with its bias.
    ///
    /// Shape: op(A) [m,k], op(B) [k,n], C [m,n], bias [n]. With `transA` A is stored as [k,m]
    /// (leading dimension `lda` ≥ m), otherwise as [m,k] (`lda` ≥ k); likewise for B.
    /// With `beta == 0` C is only written.
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, bias: UnsafePointer<Float>? = nil,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
              beta: beta, bias: bias, c: c, ldc: ldc,
              threads: m * n * k >= parallelMultiplyAdds ? threadCount : 1)
    }

    /// ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:bias:c:ldc:)`` on `threads` workers
    /// (1: on the calling thread).
    static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        _ = defaultThreads  // OpenBLAS single-threaded before its first call
        if threads > 1 {
            split(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, bias: bias, c: c, ldc: ldc, threads: threads)
            return
        }
        var effectiveBeta = beta
        if let bias {
            // The bias goes into C first (with beta·C), then the product accumulates onto it.
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = (beta == 0 ? 0 : beta * row[j]) + bias[j] }
            }
            effectiveBeta = 1
            if k == 0 { return }
        }
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb),
                    effectiveBeta, c, Int32(ldc))
    }

    /// Number of workers one product (and the package's other parallel loops) uses. It starts
    /// as OpenBLAS's own default (`OPENBLAS_NUM_THREADS`, else the cores), read once before
    /// OpenBLAS is set to one thread.
    public static var threadCount: Int {
        get { chosenThreads ?? defaultThreads }
        set {
            _ = defaultThreads
            chosenThreads = max(1, newValue)
        }
    }

    /// OpenBLAS's thread count at first use; OpenBLAS runs single-threaded from then on.
    private static let defaultThreads: Int = {
        let threads = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return max(1, threads)
    }()

    /// What `threadCount` was set to, if anything (set by the command line before its work).
    nonisolated(unsafe) private static var chosenThreads: Int?

    /// Below this many multiply-adds (m·n·k) a product stays on the calling thread: waking a
    /// second worker costs ~10 µs, about 1 M multiply-adds.
    static let parallelMultiplyAdds = 4 << 20

    /// Rows (or columns) of C per worker are multiples of this (one 64-byte line of floats).
    static let blockGranularity = 16

    /// The product split over `threads` workers by blocks of rows of C, or of columns when
    /// there are fewer than two blocks of rows per worker and more columns than rows.
    private static func split(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
    ) {
        let rowBlocks = (m + blockGranularity - 1) / blockGranularity
        let columnBlocks = (n + blockGranularity - 1) / blockGranularity
        let splitRows = rowBlocks >= 2 * threads || rowBlocks >= columnBlocks
        let workers = min(threads, splitRows ? rowBlocks : columnBlocks)
        // Workers write disjoint blocks of C and only read A, B and the bias: addresses as integers.
        let (aAddress, bAddress, cAddress) = (Int(bitPattern: a), Int(bitPattern: b), Int(bitPattern: c))
        let biasAddress = Int(bitPattern: bias)
        forkJoin(workers) { worker in
            let a = UnsafePointer<Float>(bitPattern: aAddress)!, b = UnsafePointer<Float>(bitPattern: bAddress)!
            let c = UnsafeMutablePointer<Float>(bitPattern: cAddress)!, bias = UnsafePointer<Float>(bitPattern: biasAddress)
            let (blocks, limit) = splitRows ? (rowBlocks, m) : (columnBlocks, n)
            let start = min(limit, worker * blocks / workers * blockGranularity)
            let end = min(limit, (worker + 1) * blocks / workers * blockGranularity)
            guard end > start else { return }
            if splitRows {
                sgemm(transA: transA, transB: transB, m: end - start, n: n, k: k, alpha: alpha,
                      a: transA ? a + start : a + start * lda, lda: lda, b: b, ldb: ldb,
                      beta: beta, bias: bias, c: c + start * ldc, ldc: ldc, threads: 1)
            } else {
                sgemm(transA: transA, transB: transB, m: m, n: end - start, k: k, alpha: alpha, a: a, lda: lda,
                      b: transB ? b + start * ldb : b + start, ldb: ldb,
                      beta: beta, bias: bias.map { $0 + start }, c: c + start, ldc: ldc, threads: 1)
            }
        }
    }

    /// The OpenBLAS kernel family in use (e.g. "Haswell", "Cooperlake"): OpenBLAS picks it from
    /// the CPU unless the environment variable `OPENBLAS_CORETYPE` names one.
    public static var kernelName: String { String(cString: openblas_get_corename()) }
}
