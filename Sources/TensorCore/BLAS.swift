import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to BLAS: OpenBLAS through `cblas.h`.
///
/// All matrices are row-major Float32. `C = alpha · op(A) · op(B) + beta · C`, where
/// op(A) is m×k, op(B) is k×n and C is m×n; `lda`, `ldb`, `ldc` are row strides in elements.
///
/// Why OpenBLAS and no kernel of our own: the package carried an AVX-512 SGEMM until issue 15;
/// on a Zen 4 machine it beat the best of OpenBLAS and BLIS by less than the 20 % the issue
/// asked for on every shape the package runs (BENCHMARKS.md, "Kept libraries"), so it went.
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
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
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

    /// Number of threads one call uses (OpenBLAS's setting).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The OpenBLAS kernel family in use (e.g. "Haswell", "Cooperlake"): OpenBLAS picks it from
    /// the CPU unless the environment variable `OPENBLAS_CORETYPE` names one.
    public static var kernelName: String { String(cString: openblas_get_corename()) }
}
