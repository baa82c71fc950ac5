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
        var x = input.clamped(lowerBound: Vector(repeating: -87.33654), upperBound: Vector(repeating: 88.37626))
        // n = round(x / ln 2); r = x − n·ln 2 in two steps for precision.
        let n = (x * 1.44269504088896341 + 0.5).rounded(.down)
        x = x - n * 0.693359375
        x = x - n * -2.12194440e-4
        var y = Vector(repeating: 1.9875691500e-4)
        y = y * x + 1.3981999507e-3
        y = y * x + 8.3334519073e-3
        y = y * x + 4.1665795894e-2
        y = y * x + 1.6666665459e-1
        y = y * x + 5.0000001201e-1
        y = y * (x * x) + x + 1
        // 2^n through the exponent bits.
        let exponent = (SIMD16<Int32>(n, rounding: .towardZero) &+ 127) &<< 23
        return y * unsafeBitCast(exponent, to: Vector.self)
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
                maxVector = pointwiseMax(maxVector, load(row + j, count: columns - j, padding: -.infinity))
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
            let relu6 = (x + 3).clamped(lowerBound: .zero, upperBound: Vector(repeating: 6))
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
