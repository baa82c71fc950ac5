import Foundation

/// The two-dimensional discrete Fourier transform of a small complex grid, computed
/// separably (all rows, then all columns) with precomputed cosine and sine tables.
///
/// Forward: `X[u, v] = Σ_y Σ_x x[y, x] · e^{−2πi (u·y/h + v·x/w)}` (NumPy's `fft2` and
/// Matlab's `fft2` convention, no scaling). Inverse: `x[y, x] = 1/(h·w) · Σ_u Σ_v X[u, v] ·
/// e^{+2πi (u·y/h + v·x/w)}` (`ifft2`). The cost is h·w·(h + w) complex multiply-adds, a
/// few hundred thousand at the 64-pixel saliency size, so no FFT is needed. Arithmetic is
/// Double; the table index `(k·t) mod n` keeps the angles exact for any size.
///
/// Shape: real and imaginary parts [h, w] row-major -> the same.
struct DiscreteFourierTransform: Sendable {
    /// Grid rows h and columns w.
    let height: Int, width: Int
    /// cos(2π·k/h), sin(2π·k/h) for k in 0..<h; likewise along the width.
    private let cosineRows: [Double], sineRows: [Double]
    private let cosineColumns: [Double], sineColumns: [Double]

    init(height: Int, width: Int) {
        precondition(height >= 1 && width >= 1, "DFT size must be positive, got \(height)×\(width)")
        self.height = height
        self.width = width
        cosineRows = (0..<height).map { cos(2 * Double.pi * Double($0) / Double(height)) }
        sineRows = (0..<height).map { sin(2 * Double.pi * Double($0) / Double(height)) }
        cosineColumns = (0..<width).map { cos(2 * Double.pi * Double($0) / Double(width)) }
        sineColumns = (0..<width).map { sin(2 * Double.pi * Double($0) / Double(width)) }
    }

    /// The forward transform (`fft2`). Shape: [h, w] (real, imaginary) -> [h, w].
    func forward(real: [Double], imaginary: [Double]) -> (real: [Double], imaginary: [Double]) {
        transform(real: real, imaginary: imaginary, sign: -1, scale: 1)
    }

    /// The inverse transform (`ifft2`, scaled by 1/(h·w)). Shape: [h, w] -> [h, w].
    func inverse(real: [Double], imaginary: [Double]) -> (real: [Double], imaginary: [Double]) {
        transform(real: real, imaginary: imaginary, sign: 1, scale: 1 / Double(height * width))
    }

    /// `Σ x · e^{sign·2πi(…)}` along the width, then along the height, times `scale`.
    private func transform(real: [Double], imaginary: [Double], sign: Double,
                           scale: Double) -> (real: [Double], imaginary: [Double]) {
        let (h, w) = (height, width)
        precondition(real.count == h * w && imaginary.count == h * w,
                     "DFT expects \(h)×\(w) = \(h * w) values, got \(real.count) and \(imaginary.count)")
        // Along the width: row y, frequency v.
        var rowReal = [Double](repeating: 0, count: h * w), rowImaginary = rowReal
        for y in 0..<h {
            for v in 0..<w {
                var (sumReal, sumImaginary) = (0.0, 0.0)
                for x in 0..<w {
                    let index = (v * x) % w
                    let (c, s) = (cosineColumns[index], sign * sineColumns[index])
                    let (a, b) = (real[y * w + x], imaginary[y * w + x])
                    // (a + ib)(c + is)
                    sumReal += a * c - b * s
                    sumImaginary += a * s + b * c
                }
                rowReal[y * w + v] = sumReal
                rowImaginary[y * w + v] = sumImaginary
            }
        }
        // Along the height: frequency u, column v.
        var outReal = [Double](repeating: 0, count: h * w), outImaginary = outReal
        for u in 0..<h {
            for y in 0..<h {
                let index = (u * y) % h
                let (c, s) = (cosineRows[index], sign * sineRows[index])
                for v in 0..<w {
                    let (a, b) = (rowReal[y * w + v], rowImaginary[y * w + v])
                    outReal[u * w + v] += a * c - b * s
                    outImaginary[u * w + v] += a * s + b * c
                }
            }
        }
        if scale != 1 {
            for i in 0..<(h * w) {
                outReal[i] *= scale
                outImaginary[i] *= scale
            }
        }
        return (outReal, outImaginary)
    }
}
