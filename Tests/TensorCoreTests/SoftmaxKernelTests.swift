import Foundation
import Testing
@testable import TensorCore

/// Every softmax kernel variant (portable C, AVX2+FMA, AVX-512F, as far as this CPU has them)
/// against a double-precision softmax computed here with Foundation's `exp`.
struct SoftmaxKernelTests {
    /// Rows of every length from 1 to 70 (full SIMD blocks and every tail), values in ±30.
    static func rows() -> [[Float]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Double(state >> 11) / Double(1 << 53)) * 60 - 30
        }
        return (1...70).map { length in (0..<length).map { _ in next() } }
    }

    static func reference(_ row: [Float]) -> [Double] {
        let largest = Double(row.max()!)
        let e = row.map { Foundation.exp(Double($0) - largest) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    @Test(arguments: Softmax.Kernel.allCases)
    func matchesDoublePrecision(kernel: Softmax.Kernel) {
        var worst = 0.0
        for row in Self.rows() {
            // Inside a wider buffer (stride length + 3) whose padding must stay untouched.
            let stride = row.count + 3
            var buffer = [Float](repeating: 7, count: 2 * stride)
            for (i, v) in row.enumerated() { buffer[i] = v; buffer[stride + i] = v }
            buffer.withUnsafeMutableBufferPointer {
                Softmax.rows($0.baseAddress!, rows: 2, length: row.count, stride: stride, kernel: kernel)
            }
            let expected = Self.reference(row)
            for r in 0..<2 {
                for (i, want) in expected.enumerated() {
                    worst = max(worst, abs(Double(buffer[r * stride + i]) - want) / max(want, 1e-30))
                }
                let padding = Array(buffer[(r * stride + row.count)..<((r + 1) * stride)])
                #expect(padding == [7, 7, 7], "\(kernel) wrote past a row of \(row.count)")
            }
        }
        // x − max rounded to Float is off by up to half an ulp of |x − max| ≤ 60 (1.9e-6), which
        // e^(x − max) turns into the same relative error; the exp itself adds ~1e-7.
        #expect(worst < 3e-6, "\(kernel): largest relative error \(worst)")
    }

    @Test(arguments: Softmax.Kernel.allCases)
    func masksAndNaN(kernel: Softmax.Kernel) {
        for length in [3, 17, 40] {
            // -inf entries get weight 0; a row of only -inf, or with a NaN, becomes all NaN (torch).
            var masked = [Float](repeating: -.infinity, count: length)
            masked[0] = 1
            masked[length - 1] = 1
            var empty = [Float](repeating: -.infinity, count: length)
            var poisoned = [Float](repeating: 0, count: length)
            poisoned[length / 2] = .nan
            for index in 0..<3 {
                func run(_ values: inout [Float]) {
                    values.withUnsafeMutableBufferPointer {
                        Softmax.rows($0.baseAddress!, rows: 1, length: length, stride: length, kernel: kernel)
                    }
                }
                switch index {
                case 0: run(&masked)
                case 1: run(&empty)
                default: run(&poisoned)
                }
            }
            let middle = Array(masked[1..<(length - 1)])
            let emptyNaNs = empty.filter(\.isNaN).count, poisonedNaNs = poisoned.filter(\.isNaN).count
            #expect(masked[0] == 0.5 && masked[length - 1] == 0.5, "\(kernel), length \(length)")
            #expect(middle == [Float](repeating: 0, count: length - 2), "\(kernel), length \(length)")
            #expect(emptyNaNs == length, "\(kernel), length \(length)")
            #expect(poisonedNaNs == length, "\(kernel), length \(length)")
        }
    }
}
