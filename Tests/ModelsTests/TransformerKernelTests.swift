import CVectorKernels
import Foundation
import Testing

/// The GELU and LayerNorm kernels of `CVectorKernels` (portable C, AVX2+FMA, AVX-512F, as far
/// as this CPU has them) against double-precision formulas computed here with Foundation's
/// `erf`, on every length from 1 to 70 (full SIMD blocks and every tail).
struct TransformerKernelTests {
    static func values(_ count: Int, seed: UInt64, range: Float) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Float(Double(state >> 11) / Double(1 << 53)) * 2 - 1) * range
        }
    }

    @Test(arguments: [0, 1, 2])
    func geluMatchesDoublePrecision(limit: Int32) {
        var worst = 0.0
        for count in 1...70 {
            let input = Self.values(count, seed: UInt64(count), range: 8)
            var buffer = input + [7, 7]  // the padding must stay untouched
            buffer.withUnsafeMutableBufferPointer { CVectorKernels_geluLimited($0.baseAddress!, count, limit) }
            #expect(buffer.suffix(2) == [7, 7])
            for (x, got) in zip(input, buffer) {
                let want = Double(x) * 0.5 * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
                worst = max(worst, abs(Double(got) - want) / (1 + abs(Double(x))))
            }
        }
        // A&S 7.1.26 is within 1.5e-7 of erf, so gelu within 0.75e-7·|x|, plus float rounding.
        #expect(worst < 3e-7, "limit \(limit): largest |got − want| / (1 + |x|) \(worst)")
    }

    @Test(arguments: [0, 1, 2])
    func layerNormMatchesDoublePrecision(limit: Int32) {
        var worst = 0.0
        for d in 1...70 {
            let rows = 3
            // An offset far from zero, as in a residual stream, so the mean matters.
            let input = Self.values(rows * d, seed: UInt64(d) + 100, range: 4).map { $0 + 20 }
            let weight = Self.values(d, seed: UInt64(d) + 200, range: 1), bias = Self.values(d, seed: UInt64(d) + 300, range: 1)
            var output = [Float](repeating: 7, count: rows * d + 2)
            output.withUnsafeMutableBufferPointer {
                CVectorKernels_layerNormRowsLimited(input, $0.baseAddress!, rows, d, weight, bias, 1e-6, limit)
            }
            #expect(output.suffix(2) == [7, 7])
            for r in 0..<rows {
                let row = input[(r * d)..<((r + 1) * d)].map(Double.init)
                let mean = row.reduce(0, +) / Double(d)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
                for i in 0..<d {
                    let want = (row[i] - mean) / (variance + 1e-6).squareRoot() * Double(weight[i]) + Double(bias[i])
                    worst = max(worst, abs(Double(output[r * d + i]) - want) / (1e-4 + 1e-4 * abs(want)))
                }
            }
        }
        #expect(worst < 0.1, "limit \(limit): largest error in units of 1e-4 + 1e-4·|want|: \(worst)")
    }
}
