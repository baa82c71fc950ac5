import Foundation
import Testing
@testable import Attention

@Suite struct VectorMathTests {
    @Test func expMatchesTheLibraryAcrossTheFloatRange() {
        var worst: Double = 0
        for i in stride(from: -8700, through: 8800, by: 7) {
            let x = Float(i) / 100
            let got = Double(VectorMath.exp(VectorMath.Vector(repeating: x))[3])
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(got - expected) / expected)
        }
        #expect(worst < 5e-7, "largest relative error \(worst)")
        #expect(VectorMath.exp(VectorMath.Vector(repeating: -200))[0] < 1e-37)
    }

    @Test func softmaxRowsSumToOneAndHandleTails() {
        // 3 rows of 19 columns (one full 16-lane chunk and a tail of 3) with stride 20.
        var values = (0..<60).map { Float($0 % 7) - 3 }
        values.withUnsafeMutableBufferPointer { VectorMath.softmaxRows($0.baseAddress!, rows: 3, columns: 19, rowStride: 20) }
        for row in 0..<3 {
            let slice = values[(row * 20)..<(row * 20 + 19)]
            #expect(abs(slice.reduce(0, +) - 1) < 1e-6)
            let source = (0..<19).map { Double(((row * 20 + $0) % 7) - 3) }
            let total = source.map { Foundation.exp($0) }.reduce(0, +)
            for (j, value) in slice.enumerated() { #expect(abs(Double(value) - Foundation.exp(source[j]) / total) < 1e-7) }
        }
        #expect(values[19] == Float(19 % 7) - 3, "the element between rows is untouched")
    }
}
