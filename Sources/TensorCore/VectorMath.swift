/// Vectorised elementwise math on Float32 buffers (SIMD16, no per-element calls).
///
/// `exp` follows the Cephes `expf` scheme: x = n·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite
/// two-constant reduction), e^r from a degree-7 minimax polynomial, then the exponent
/// scaled by 2^n in two halves so that n from −150 to 128 stays representable (subnormal
/// results are produced, not flushed). Largest relative error measured against
/// Foundation's double-precision `exp` over [−87.3, 88.7]: 7.6e-8 (the tests bound it by
/// 1.5e-7); x ≥ 88.73 gives +∞, x ≤ −104 gives 0, NaN stays NaN.
public enum VectorMath {
    public typealias Vector = SIMD16<Float>

    /// e^x for each lane.
    @inlinable
    public static func exp(_ x: Vector) -> Vector {
        // Clamp with compare-and-blend (the stdlib's pointwiseMin/Max run lane by lane);
        // NaN compares false, stays NaN and propagates through the arithmetic.
        let low = Vector(repeating: -104), high = Vector(repeating: 89)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Round to nearest even by adding 1.5·2²³: the integer lands in the low mantissa bits.
        let shifted = clamped * 1.44269504088896341 + 12582912
        let n = shifted - 12582912
        var r = clamped - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = Vector(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        let exponent = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let half = exponent &>> 1
        let rest = exponent &- half
        let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: Vector.self)
        let scale2 = unsafeBitCast((rest &+ 127) &<< 23, to: Vector.self)
        return y * scale1 * scale2
    }

    /// Replaces each of `count` elements by e^(element − shift) and returns their sum.
    @inlinable
    @discardableResult
    public static func exp(_ values: UnsafeMutablePointer<Float>, count: Int, subtracting shift: Float = 0) -> Float {
        var sums = Vector()
        var i = 0
        while i + 16 <= count {
            let raw = UnsafeMutableRawPointer(values + i)
            let e = exp(raw.loadUnaligned(as: Vector.self) - shift)
            raw.storeBytes(of: e, as: Vector.self)
            sums += e
            i += 16
        }
        var sum = sums.sum()
        if i < count {
            var tail = Vector(repeating: -.infinity)
            for j in 0..<(count - i) { tail[j] = values[i + j] - shift }
            let e = exp(tail)
            for j in 0..<(count - i) {
                values[i + j] = e[j]
                sum += e[j]
            }
        }
        return sum
    }

    /// Largest of `count` elements (−∞ for none; NaN if any is NaN).
    @inlinable
    public static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var best = Vector(repeating: -.infinity)
        var nanLanes = SIMDMask<SIMD16<Int32>>()
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(values + i).loadUnaligned(as: Vector.self)
            nanLanes .|= v .!= v
            best.replace(with: v, where: v .> best)
            i += 16
        }
        var sawNaN = any(nanLanes)
        var result = -Float.infinity
        for lane in 0..<16 where best[lane] > result { result = best[lane] }
        while i < count {
            sawNaN = sawNaN || values[i].isNaN
            result = Swift.max(result, values[i])
            i += 1
        }
        return sawNaN ? .nan : result
    }

    /// Multiplies `count` elements by `factor` in place.
    @inlinable
    public static func scale(_ values: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { values[i] *= factor }
    }

    /// Sum of `count` elements (pairwise over 16 lanes).
    @inlinable
    public static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var sums = Vector()
        var i = 0
        while i + 16 <= count {
            sums += UnsafeRawPointer(values + i).loadUnaligned(as: Vector.self)
            i += 16
        }
        var result = sums.sum()
        while i < count {
            result += values[i]
            i += 1
        }
        return result
    }
}
