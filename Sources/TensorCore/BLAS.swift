import CBLAS
import CVectorKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to BLAS: the package's own AVX-512 SGEMM (`CVectorKernels`) when
/// the CPU has AVX-512F, else OpenBLAS through `cblas.h`.
///
/// All matrices are row-major Float32. `C = alpha · op(A) · op(B) + beta · C`, where
/// op(A) is m×k, op(B) is k×n and C is m×n; `lda`, `ldb`, `ldc` are row strides in elements.
///
/// Why a kernel of our own: the environment sets `OPENBLAS_CORETYPE=Haswell` (older OpenBLAS
/// builds compute wrong results with their AVX-512 kernels on some CPUs), so OpenBLAS runs
/// AVX2 at ~120 GFLOP/s per core where the FMA units give 289 with AVX-512.
/// `VIS_SGEMM=openblas` in the environment forces OpenBLAS.
public enum BLAS {
    /// Which implementation runs `sgemm`.
    public enum Backend: String, Sendable, CaseIterable {
        /// `CVectorKernels_sgemm` (AVX-512F), threaded here over `threadCount` workers.
        case visAVX512 = "vis-avx512"
        /// OpenBLAS `cblas_sgemm`, threaded by OpenBLAS.
        case openBLAS = "openblas"
    }

    /// The backend `sgemm` uses by default: OpenBLAS when `VIS_SGEMM=openblas` or when the CPU
    /// lacks AVX-512F, the package's kernel otherwise.
    public static let backend: Backend = {
        if let choice = getenv("VIS_SGEMM"), String(cString: choice).lowercased() == Backend.openBLAS.rawValue {
            return .openBLAS
        }
        return CVectorKernels_sgemmAvailable() != 0 ? .visAVX512 : .openBLAS
    }()

    /// Name of the default backend: "vis-avx512" or "openblas".
    public static var backendName: String { backend.rawValue }

    /// Row-major single-precision GEMM on raw buffers.
    ///
    /// Shape: op(A) [m,k], op(B) [k,n], C [m,n]. With `transA` A is stored as [k,m]
    /// (leading dimension `lda` ≥ m), otherwise as [m,k] (`lda` ≥ k); likewise for B.
    /// With `beta == 0` C is only written. `backend` defaults to ``backend``; asking for
    /// `.visAVX512` on a CPU without AVX-512F runs OpenBLAS.
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        backend: Backend = BLAS.backend
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        if backend == .visAVX512, kernelAvailable {
            visSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                     b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// Number of threads one call uses (OpenBLAS's setting, which the package's kernel follows).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The OpenBLAS kernel family in use (e.g. "Haswell", "Cooperlake"): OpenBLAS picks it from
    /// the CPU unless the environment variable `OPENBLAS_CORETYPE` names one.
    public static var kernelName: String { String(cString: openblas_get_corename()) }

    // MARK: - The package's kernel

    static let kernelAvailable = CVectorKernels_sgemmAvailable() != 0

    /// Rows of the kernel's register tile: row blocks given to workers are multiples of it.
    static let tileRows = 14
    /// Columns of the kernel's register tile.
    static let tileColumns = 32
    /// Below this many multiply-adds (m·n·k) one call stays on the calling thread: waking a
    /// second worker costs ~10 µs, about 1 M multiply-adds of this kernel.
    static let parallelMultiplyAdds = 4 << 20

    /// `CVectorKernels_sgemm`, split over up to `threadCount` workers (``forkJoin(_:_:)``) by
    /// blocks of rows of C (or of columns when there are too few rows), each with its own
    /// packing workspace.
    static func visSgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let rowTiles = (m + tileRows - 1) / tileRows
        let columnTiles = (n + tileColumns - 1) / tileColumns
        let threads = m * n * k >= parallelMultiplyAdds ? max(1, threadCount) : 1
        let splitRows = rowTiles >= 2 * threads || rowTiles >= columnTiles
        let workers = min(threads, splitRows ? rowTiles : columnTiles)
        // Workers write disjoint blocks of C and only read A and B: the addresses cross as integers.
        let (aAddress, bAddress, cAddress) = (Int(bitPattern: a), Int(bitPattern: b), Int(bitPattern: c))
        // One worker's block of C: rows or columns [start, end).
        @Sendable func run(_ worker: Int) {
            let a = UnsafePointer<Float>(bitPattern: aAddress)!, b = UnsafePointer<Float>(bitPattern: bAddress)!
            let c = UnsafeMutablePointer<Float>(bitPattern: cAddress)!
            let tiles = splitRows ? rowTiles : columnTiles
            let (size, limit) = splitRows ? (tileRows, m) : (tileColumns, n)
            let start = min(limit, worker * tiles / workers * size)
            let end = min(limit, (worker + 1) * tiles / workers * size)
            guard end > start else { return }
            let (rows, columns) = splitRows ? (end - start, n) : (m, end - start)
            let count = CVectorKernels_sgemmWorkspace(rows, columns, k)
            let workspace = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            defer { workspace.deallocate() }
            let (aBlock, bBlock, cBlock) = splitRows
                ? (transA ? a + start : a + start * lda, b, c + start * ldc)
                : (a, transB ? b + start * ldb : b + start, c + start)
            _ = CVectorKernels_sgemm(transA ? 1 : 0, transB ? 1 : 0, rows, columns, k, alpha,
                                     aBlock, lda, bBlock, ldb, beta, cBlock, ldc, workspace)
        }
        forkJoin(workers, run)
    }
}
