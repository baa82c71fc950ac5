import CBLAS

/// The one file that talks to BLAS (OpenBLAS through `cblas.h`).
///
/// All matrices are row-major Float32. `C = alpha · op(A) · op(B) + beta · C`, where
/// op(A) is m×k, op(B) is k×n and C is m×n; `lda`, `ldb`, `ldc` are row strides in elements.
public enum BLAS {
    /// Row-major single-precision GEMM on raw buffers.
    ///
    /// Shape: op(A) [m,k], op(B) [k,n], C [m,n]. With `transA` A is stored as [k,m]
    /// (leading dimension `lda` ≥ m), otherwise as [m,k] (`lda` ≥ k); likewise for B.
    @inlinable
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// Number of threads OpenBLAS uses for one call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The OpenBLAS kernel family in use (e.g. "Haswell", "Cooperlake"): OpenBLAS picks it from
    /// the CPU unless the environment variable `OPENBLAS_CORETYPE` names one.
    public static var kernelName: String { String(cString: openblas_get_corename()) }
}
