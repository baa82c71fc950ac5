import Foundation
import Testing
@testable import TensorCore

struct SoftmaxTests {
    @Test func vectorisedExpMatchesFoundation() {
        // A dense sweep over the whole range, including subnormal results.
        let xs = stride(from: Float(-103), through: 88.7, by: 0.0137).map { $0 } + [0, -0.0, 1e-8, -1e-8, 88.72]
        var values = xs
        values.withUnsafeMutableBufferPointer { _ = VectorMath.exp($0.baseAddress!, count: $0.count) }
        var worstNormal: Double = 0
        for (x, got) in zip(xs, values) {
            let reference = Foundation.exp(Double(x))
            if reference >= Double(Float.leastNormalMagnitude) {
                worstNormal = max(worstNormal, abs(Double(got) - reference) / reference)
            } else {
                // Subnormal results: within 2 units of the smallest subnormal.
                #expect(abs(Double(got) - reference) <= 2 * Double(Float.leastNonzeroMagnitude), "exp(\(x))")
            }
        }
        #expect(worstNormal <= 1.5e-7, "largest relative error \(worstNormal)")
        let edges = VectorMath.exp(VectorMath.Vector([.infinity, -.infinity, .nan, 89, 100, -200, 0, 1,
                                                      -1, 2, 0.5, 10, -10, 20, -20, 88.5]))
        #expect(edges[0] == .infinity && edges[1] == 0 && edges[2].isNaN && edges[3] == .infinity)
        #expect(edges[4] == .infinity && edges[5] == 0 && edges[6] == 1)
    }

    @Test func matchesTorchSoftmax() {
        let reference = OperationFixtures.named("softmax")
        let got = reference.input("input").softmax()
        #expect(isClose(got, reference.expected, absolute: 1e-7, relative: 1e-5),
                "largest difference \(Fixtures.maximumDifference(got.storage, reference.expected.storage))")
    }

    @Test func stridedRowsAndMasks() {
        // Two rows of 3 inside rows of 4; the 4th column must stay untouched.
        var buffer: [Float] = [1, 2, 3, 99, 0, -.infinity, 0, 99]
        buffer.withUnsafeMutableBufferPointer { Softmax.rows($0.baseAddress!, rows: 2, length: 3, stride: 4) }
        let e1 = Foundation.exp(1.0), e2 = Foundation.exp(2.0), e3 = Foundation.exp(3.0)
        let expected: [Float] = [Float(e1 / (e1 + e2 + e3)), Float(e2 / (e1 + e2 + e3)), Float(e3 / (e1 + e2 + e3)), 99,
                                 0.5, 0, 0.5, 99]
        #expect(Fixtures.maximumDifference(buffer, expected) < 1e-7)
        // An all-masked row is NaN, as in PyTorch.
        let masked = Tensor(shape: [1, 2], storage: [-.infinity, -.infinity]).softmax()
        #expect(masked.storage.allSatisfy { $0.isNaN })
        // Rows longer than one vector (16 lanes) plus a tail.
        let long = Tensor(shape: [1, 35], storage: (0..<35).map { Float($0) * 0.1 }).softmax()
        let total = (0..<35).reduce(0.0) { $0 + Foundation.exp(Double($1) * 0.1) }
        #expect(abs(Double(long.storage[34]) - Foundation.exp(3.4) / total) < 1e-8)
        #expect(abs(long.storage.reduce(0, +) - 1) < 1e-6)
    }
}
