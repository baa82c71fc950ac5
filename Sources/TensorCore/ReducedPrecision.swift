/// Bit-level conversions between Float32 and the narrow floating-point formats of
/// safetensors files (IEEE half, bfloat16, and the two OCP FP8 formats).
///
/// Narrowing rounds to nearest, ties to even, as PyTorch's `.to(torch.float16)` and
/// `.to(torch.bfloat16)` do; NaN stays NaN (quiet), infinities stay infinite, values beyond
/// the half range become infinite.
enum ReducedPrecision {
    /// IEEE 754 binary16 bits -> Float32 (exact).
    @inlinable
    static func float(fromFloat16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Float32 -> IEEE 754 binary16 bits, rounding to nearest even.
    static func float16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            // Infinity, or NaN kept quiet with its top payload bits.
            return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | UInt16(mantissa >> 13))
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal half (or zero): shift the full significand right with rounding.
            if halfExponent < -10 { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var result = significand >> shift
            let remainder = significand & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && result & 1 == 1) { result += 1 }
            return sign | UInt16(result)
        }
        var result = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && result & 1 == 1) { result += 1 }
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        return sign | UInt16(result)
    }

    /// bfloat16 bits -> Float32 (exact).
    @inlinable
    static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Float32 -> bfloat16 bits, rounding to nearest even; NaN becomes the quiet NaN 0x7FC0.
    static func bfloat16(from value: Float) -> UInt16 {
        if value.isNaN { return value.sign == .minus ? 0xFFC0 : 0x7FC0 }
        let bits = value.bitPattern
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }

    /// OCP FP8 E5M2 bits -> Float32 (exact): the top byte of a binary16.
    static func float(fromFloat8E5M2 bits: UInt8) -> Float {
        float(fromFloat16: UInt16(bits) << 8)
    }

    /// OCP FP8 E4M3 ("fn": no infinities, S.1111.111 is NaN) bits -> Float32 (exact).
    static func float(fromFloat8E4M3 bits: UInt8) -> Float {
        let negative = bits & 0x80 != 0
        let exponent = Int((bits >> 3) & 0xF)
        let mantissa = Float(bits & 0x7)
        let magnitude: Float
        if exponent == 0xF && bits & 0x7 == 0x7 {
            magnitude = .nan
        } else if exponent == 0 {
            magnitude = mantissa / 8 * 0x1p-6
        } else {
            magnitude = (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }
}
