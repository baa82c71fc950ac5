import Testing
import TensorCore
@testable import Attention

@Suite struct PatchEmbeddingTests {
    @Test func handComputedPatchSumsInRowMajorOrder() throws {
        // One channel 4×6 image with pixel (y, x) = 10·y + x; p = 2; D = 2:
        // feature 0 sums the patch, feature 1 takes its top-left pixel minus 1.
        let image = Tensor(shape: [1, 1, 4, 6], storage: (0..<4).flatMap { y in (0..<6).map { Float(10 * y + $0) } })
        let weight = Tensor(shape: [2, 1, 2, 2], storage: [1, 1, 1, 1, 1, 0, 0, 0])
        let layer = PatchEmbedding(weight: weight, bias: Tensor(shape: [2], storage: [0, -1]))
        let y = try layer(image)
        #expect(y.shape == [1, 6, 2])
        // Patch (gy, gx) top-left (2gy, 2gx): sum = 4·(20gy + 2gx) + 22.
        var expected: [Float] = []
        for gy in 0..<2 {
            for gx in 0..<3 {
                let topLeft = Float(20 * gy + 2 * gx)
                expected += [4 * topLeft + 22, topLeft - 1]
            }
        }
        #expect(y.storage == expected)
    }

    @Test func matchesDirectConvolution() throws {
        let (b, c, h, w, p, d) = (2, 3, 8, 12, 4, 5)
        let x = randomTensor([b, c, h, w], seed: 3)
        let weight = randomTensor([d, c, p, p], seed: 4)
        let bias = randomTensor([d], seed: 5)
        let y = try PatchEmbedding(weight: weight, bias: bias)(x)
        var expected = Tensor(shape: [b, (h / p) * (w / p), d])
        for batch in 0..<b {
            for gy in 0..<(h / p) {
                for gx in 0..<(w / p) {
                    for o in 0..<d {
                        var sum = Double(bias[o])
                        for channel in 0..<c {
                            for ky in 0..<p {
                                for kx in 0..<p {
                                    sum += Double(weight[o, channel, ky, kx]) * Double(x[batch, channel, gy * p + ky, gx * p + kx])
                                }
                            }
                        }
                        expected[batch, gy * (w / p) + gx, o] = Float(sum)
                    }
                }
            }
        }
        expectClose(y, expected, "patch embedding")
    }

    @Test func dropsPartialPatchesLikeTheConvolution() throws {
        let layer = PatchEmbedding(weight: Tensor(shape: [1, 1, 2, 2], repeating: 1), bias: nil)
        let y = try layer(Tensor(shape: [1, 1, 5, 3], repeating: 1))
        #expect(y == Tensor(shape: [1, 2, 1], storage: [4, 4]))
    }

    @Test func rejectsWrongChannelCount() {
        let layer = PatchEmbedding(weight: Tensor(shape: [4, 3, 2, 2]), bias: nil)
        #expect(throws: AttentionError.inputShape(name: "input", expected: "[B, 3, H, W] with H, W ≥ 2", got: [1, 1, 4, 4])) {
            _ = try layer(Tensor(shape: [1, 1, 4, 4]))
        }
    }
}
