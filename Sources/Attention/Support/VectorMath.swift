/// Vectorised element-wise kernels used by the attention hot loops: `exp`, row softmax,
/// sigmoid and h-swish on Float32 buffers, 16 lanes at a time.
///
/// `exp` follows the Cephes `expf` scheme (range reduction by ln 2 split in two constants,
/// degree-6 polynomial, exponent insertion); its relative error is a few ulp, far inside the
/// 1e-4 parity tolerance. No closures are called per element.
enum VectorMath {
    typealias Vector = SIMD16<Float>
    static let width = Vector.scalarCount

    /// e^x lane-wise; inputs are clamped to [-87.3, 88.37], the finite range of Float32.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        let x = clamp(input, Vector(repeating: -87.33654), Vector(repeating: 88.37626))
        // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
        let shifter = Vector(repeating: 12582912)
        let shifted = x * 1.44269504088896341 + shifter
        let n = shifted - shifter
        // r = x − n·ln 2, with ln 2 split in two constants for precision.
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var y = Vector(repeating: 1.9875691500e-4)
        y = y * r + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        y = y * (r * r) + r + 1
        // 2^n through the exponent bits.
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((integer &+ 127) &<< 23, to: Vector.self)
    }

    /// Lane-wise maximum. (The standard library's `pointwiseMax` is not vectorised here.)
    @inline(__always)
    static func maximum(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: a .< b) }

    /// Lane-wise clamp to [lower, upper].
    @inline(__always)
    static func clamp(_ x: Vector, _ lower: Vector, _ upper: Vector) -> Vector {
        let raised = x.replacing(with: lower, where: x .< lower)
        return raised.replacing(with: upper, where: raised .> upper)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, count: Int, padding: Float) -> Vector {
        if count >= width { return UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        var v = Vector(repeating: padding)
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count >= width { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self); return }
        for i in 0..<count { p[i] = v[i] }
    }

    /// Softmax over each of `rows` rows of `columns` elements, in place; row `r` starts at
    /// `base + r·rowStride`. Computes `exp(x − max) · (1 / Σ exp(x − max))` like ATen's
    /// vectorised CPU softmax.
    static func softmaxRows(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int) {
        guard columns > 0 else { return }
        for r in 0..<rows {
            let row = base + r * rowStride
            var maxVector = Vector(repeating: -.infinity)
            var j = 0
            while j < columns {
                maxVector = maximum(maxVector, load(row + j, count: columns - j, padding: -.infinity))
                j += width
            }
            let rowMax = maxVector.max()
            let shift = Vector(repeating: rowMax)
            var sumVector = Vector.zero
            j = 0
            while j < columns {
                let n = columns - j
                var e = exp(load(row + j, count: n, padding: -.infinity) - shift)
                if n < width { for i in n..<width { e[i] = 0 } }
                sumVector += e
                store(e, row + j, count: n)
                j += width
            }
            let inverse = Vector(repeating: 1 / sumVector.sum())
            j = 0
            while j < columns {
                let n = columns - j
                store(load(row + j, count: n, padding: 0) * inverse, row + j, count: n)
                j += width
            }
        }
    }

    /// `1 / (1 + e^(−x))` in place.
    static func sigmoid(_ base: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j < count {
            let n = count - j
            let x = load(base + j, count: n, padding: 0)
            store(1 / (1 + exp(-x)), base + j, count: n)
            j += width
        }
    }

    /// h-swish `x · relu6(x + 3) / 6` in place (MobileNetV3, as in the CoordAttention code).
    static func hardSwish(_ base: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j < count {
            let n = count - j
            let x = load(base + j, count: n, padding: 0)
            let relu6 = clamp(x + 3, .zero, Vector(repeating: 6))
            store(x * (relu6 / 6), base + j, count: n)
            j += width
        }
    }

    /// `destination[i] += source[i]` for `count` elements.
    static func add(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j < count {
            let n = count - j
            store(load(destination + j, count: n, padding: 0) + load(source + j, count: n, padding: 0),
                  destination + j, count: n)
            j += width
        }
    }

    /// `base[i] *= factor` for `count` elements.
    static func scale(_ base: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        var j = 0
        while j < count {
            let n = count - j
            store(load(base + j, count: n, padding: 0) * factor, base + j, count: n)
            j += width
        }
    }
}
