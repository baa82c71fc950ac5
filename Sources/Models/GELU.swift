import TensorCore

/// The exact Gaussian error linear unit (Hendrycks & Gimpel 2016), as `torch.nn.GELU()`
/// (`approximate='none'`): `gelu(x) = x · ½ · (1 + erf(x / √2))`.
///
/// erf is evaluated 16 lanes at a time with the rational approximation PyTorch's vectorised
/// CPU kernel uses (Abramowitz & Stegun 7.1.26: `1 − t·(a1 + t·(a2 + …))·e^(−x²)`,
/// t = 1/(1 + p·|x|), absolute error below 1.5e-7), so results match `torch.nn.GELU` to
/// float rounding.
///
/// Shape: any buffer -> same, in place.
public enum GELU {
    /// Applies GELU to `count` floats in place.
    public static func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        typealias Vector = VectorMath.Vector
        var i = 0
        while i + 16 <= count {
            let raw = UnsafeMutableRawPointer(values + i)
            raw.storeBytes(of: gelu(raw.loadUnaligned(as: Vector.self)), as: Vector.self)
            i += 16
        }
        if i < count {
            var tail = Vector()
            for j in 0..<(count - i) { tail[j] = values[i + j] }
            let y = gelu(tail)
            for j in 0..<(count - i) { values[i + j] = y[j] }
        }
    }

    @inline(__always)
    static func gelu(_ x: VectorMath.Vector) -> VectorMath.Vector {
        x * 0.5 * (1 + erf(x * Float(0.5.squareRoot())))
    }

    /// erf of 16 lanes (Abramowitz & Stegun 7.1.26).
    @inline(__always)
    static func erf(_ x: VectorMath.Vector) -> VectorMath.Vector {
        typealias Vector = VectorMath.Vector
        let (p, a1, a2, a3, a4, a5): (Float, Float, Float, Float, Float, Float) =
            (0.3275911, 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + p * magnitude)
        let polynomial = ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t
        let y = 1 - polynomial * VectorMath.exp(-magnitude * magnitude)
        return y.replacing(with: -y, where: x .< 0)
    }
}
