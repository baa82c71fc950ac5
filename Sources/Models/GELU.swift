import CVectorKernels
import TensorCore

/// The exact Gaussian error linear unit (Hendrycks & Gimpel 2016), as `torch.nn.GELU()`
/// (`approximate='none'`): `gelu(x) = x · ½ · (1 + erf(x / √2))`.
///
/// erf is evaluated with the rational approximation PyTorch's vectorised CPU kernel uses
/// (Abramowitz & Stegun 7.1.26: `1 − t·(a1 + t·(a2 + …))·e^(−x²)`, t = 1/(1 + p·|x|),
/// absolute error below 1.5e-7), so results match `torch.nn.GELU` to float rounding. The loop
/// is `CVectorKernels_gelu` (AVX-512F, AVX2+FMA or portable C, picked at run time), because
/// Swift's SIMD16 runs 4 lanes at a time without `-march`.
///
/// Shape: any buffer -> same, in place.
public enum GELU {
    /// Applies GELU to `count` floats in place.
    /// Large buffers (an MLP's hidden layer) are split over the GEMM workers
    /// (``BLAS/forkJoin(_:_:)``), as the products around them are.
    public static func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let workers = min(BLAS.threadCount, count / minimumPerWorker)
        guard workers > 1 else { return CVectorKernels_gelu(values, count) }
        // Workers write disjoint ranges of the caller's buffer: its address as an integer.
        let address = Int(bitPattern: values)
        BLAS.forkJoin(workers) { worker in
            let start = worker * count / workers, end = (worker + 1) * count / workers
            CVectorKernels_gelu(UnsafeMutablePointer<Float>(bitPattern: address)! + start, end - start)
        }
    }

    /// Floats per worker below which waking one costs more than it saves (~10 µs).
    static let minimumPerWorker = 1 << 15
}
