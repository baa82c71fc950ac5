import Testing
import TensorCore
@testable import Attention

/// The weight-free self-attention run through the real timm-style `MultiHeadSelfAttention`.
struct SelfAttentionDefaultsTests {
    /// A query inside one red square puts ≥ 0.9 of its appearance-head weight on the cells
    /// of the two red squares, and a fair share on the other square (non-local).
    @Test func appearanceHeadFindsBothRedSquares() throws {
        let scene = SyntheticImages.twoRedSquares()
        let grid = WeightFreeDefaults.featureGrid(image: scene.image, cellSize: 4)
        let layer = try MultiHeadSelfAttention(weights: WeightFreeDefaults.selfAttentionWeights(for: grid))
        let query = 3 * scene.columns + 3  // centre of the square at cells (2…4, 2…4)
        let attention = try #require(try layer(grid.sequence, capture: .queries([query])).attention)
        #expect(attention.shape == [1, 4, 1, grid.count])
        for head in [0, 2, 3] {
            let onRed = scene.redCells.reduce(0) { $0 + attention[0, head, 0, $1] }
            let onOther = scene.redCells.filter { $0 / scene.columns >= 7 }.reduce(0) { $0 + attention[0, head, 0, $1] }
            #expect(onRed >= 0.9, "head \(WeightFreeDefaults.headNames[head]): \(onRed) on red cells")
            if head != 3 { #expect(onOther >= 0.3, "head \(WeightFreeDefaults.headNames[head]): \(onOther) on the other square") }
        }
    }

    /// Every head's softmax equals exp(−|g_i − g_j|²/T)/Σ computed directly, on a textured
    /// scene (all four heads non-trivial) and on the red squares.
    @Test(arguments: [false, true]) func weightsAreExactNonLocalMeans(redSquares: Bool) throws {
        let image = redSquares ? SyntheticImages.twoRedSquares().image : FeatureGridTests.texturedImage()
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: redSquares ? 4 : 8)
        let weights = WeightFreeDefaults.selfAttentionWeights(for: grid)
        let layer = try MultiHeadSelfAttention(weights: weights)
        let attention = try #require(try layer(grid.sequence, capture: .full).attention)
        var worst = 0.0
        var temperatures: [Double] = []
        for head in 0..<4 {
            let g = NonLocalMeansReference.weightedFeatures(grid.features, head: head)
            let t = NonLocalMeansReference.temperature(g)
            temperatures.append(t)
            for i in 0..<grid.count {
                let expected = NonLocalMeansReference.weights(g, query: i, temperature: t)
                for j in 0..<grid.count { worst = max(worst, abs(Double(attention[0, head, i, j]) - expected[j])) }
            }
        }
        #expect(worst < 1e-5, "largest |A − NLM| = \(worst)")
        let stored = try #require(weights.metadata["temperatures"]).split(separator: ",").map { Double(String($0))! }
        #expect(zip(stored, temperatures).allSatisfy { abs($0 - $1) < 1e-6 * max(1, $1) }, "\(stored) vs \(temperatures)")
        #expect(weights.metadata["module"] == "self_attention" && weights.metadata["num_heads"] == "4")
    }

    /// The output is a token of the same layout: colour weighted by the colour head, texture
    /// by the texture head, position by the appearance+position head, constant 1.
    @Test func outputIsAttentionWeightedTokens() throws {
        let grid = WeightFreeDefaults.featureGrid(image: FeatureGridTests.texturedImage(), cellSize: 8)
        let layer = try MultiHeadSelfAttention(weights: WeightFreeDefaults.selfAttentionWeights(for: grid))
        let result = try layer(grid.sequence, capture: .full)
        let attention = try #require(result.attention)
        var worst: Float = 0
        for i in 0..<grid.count {
            for (head, channels) in [(0, 0..<3), (1, 3..<11), (3, 11..<13), (2, 18..<19)] {
                for k in channels {
                    let expected = (0..<grid.count).reduce(Float(0)) { $0 + attention[0, head, i, $1] * grid.tokens[$1, k] }
                    worst = max(worst, abs(result.output[0, i, k] - expected))
                }
            }
            worst = max(worst, abs(result.output[0, i, 17] - 1))
        }
        #expect(worst < 1e-4, "largest output error \(worst)")
    }

    /// Horizontal stripes on the left, vertical on the right, same colour everywhere: the
    /// texture head of a left cell puts ≥ 0.9 of its weight on left cells.
    @Test func textureHeadSeparatesStripeOrientations() throws {
        let (rows, columns, p) = (6, 8, 4)
        var image = Tensor(shape: [1, 3, rows * p, columns * p])
        for y in 0..<(rows * p) {
            for x in 0..<(columns * p) {
                let stripe = x < columns * p / 2 ? y % 2 : x % 2
                for channel in 0..<3 { image[0, channel, y, x] = stripe == 0 ? 0.2 : 0.8 }
            }
        }
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: p)
        let layer = try MultiHeadSelfAttention(weights: WeightFreeDefaults.selfAttentionWeights(for: grid))
        let query = 2 * columns + 1
        let attention = try #require(try layer(grid.sequence, capture: .queries([query])).attention)
        let onLeft = (0..<grid.count).filter { $0 % columns < columns / 2 }.reduce(0) { $0 + attention[0, 1, 0, $1] }
        #expect(onLeft >= 0.9, "texture head: \(onLeft) on the left half")
        // The colour head cannot tell the halves apart: it spreads evenly.
        let colourOnLeft = (0..<grid.count).filter { $0 % columns < columns / 2 }.reduce(0) { $0 + attention[0, 0, 0, $1] }
        #expect(abs(colourOnLeft - 0.5) < 0.01, "colour head: \(colourOnLeft) on the left half")
    }
}
