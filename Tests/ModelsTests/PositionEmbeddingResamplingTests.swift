import Testing
import TensorCore
@testable import Models

/// The 1-D weights against numbers worked out from PyTorch's kernels by hand
/// (`torch.nn.functional.interpolate` on one-hot rows gives the same numbers).
@Suite struct PositionEmbeddingResamplingTests {
    /// Antialiased, 4 -> 2 (scale 2): support 4, argument halved; centre of output 0 is 1,
    /// sources 0…3 at distances −0.5, 0.5, 1.5, 2.5 (halved: 0.25, 0.25, 0.75, 1.25).
    @Test func antialiasedShrinkWeights() {
        let taps = PositionEmbeddingResampling.antialiasedBicubic.taps(input: 4, output: 2)[0]
        let a: Float = -0.5
        let raw: [Float] = [0.25, 0.25, 0.75].map { x in ((a + 2) * x - (a + 3)) * x * x + 1 }
            + [a * (1.25 * 1.25 * 1.25 - 5 * 1.25 * 1.25 + 8 * 1.25 - 4)]
        let total = raw.reduce(0, +)
        #expect(taps.map(\.index) == [0, 1, 2, 3])
        for (tap, value) in zip(taps, raw) { #expect(abs(tap.weight - value / total) < 1e-7) }
    }

    /// Plain bicubic 2 -> 4: output 0 samples x = −0.25 (t = 0.75 from source −1, clamped to 0).
    @Test func bicubicGrowWeights() {
        let taps = PositionEmbeddingResampling.bicubic.taps(input: 2, output: 4)[0]
        #expect(taps.map(\.index) == [0, 0, 0, 1])
        let a: Float = -0.75, t: Float = 0.75
        let expected = [((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
                        ((a + 2) * t - (a + 3)) * t * t + 1,
                        ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
                        ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a]
        for (tap, value) in zip(taps, expected) { #expect(abs(tap.weight - value) < 1e-7) }
    }

    @Test(arguments: [PositionEmbeddingResampling.antialiasedBicubic, .bicubic])
    func sameSizeIsIdentity(_ kind: PositionEmbeddingResampling) {
        let grid = Tensor(shape: [6, 2], storage: (0..<12).map(Float.init))
        for (i, taps) in kind.taps(input: 3, output: 3).enumerated() {
            let nonzero = taps.filter { $0.weight != 0 }
            #expect(nonzero.count == 1 && nonzero[0].index == i && nonzero[0].weight == 1)
        }
        #expect(kind.resample(grid, from: (2, 3), to: (2, 3)) == grid)
    }
}
