import Testing
import TensorCore
@testable import Attention

/// Same input, same output, bit for bit, through every weight-free default.
struct DeterminismTests {
    @Test func everythingIsRepeatable() throws {
        let image = FeatureGridTests.texturedImage()
        let first = WeightFreeDefaults.featureGrid(image: image, cellSize: 8)
        let second = WeightFreeDefaults.featureGrid(image: image, cellSize: 8)
        #expect(first.tokens == second.tokens && first.features == second.features && first.saliency == second.saliency)
        #expect(first.embedding.weight == second.embedding.weight && first.embedding.bias == second.embedding.bias)
        #expect(WeightFreeDefaults.saliency(image: image) == WeightFreeDefaults.saliency(image: image))
        let pairs: [(WeightSet, WeightSet)] = [
            (WeightFreeDefaults.selfAttentionWeights(for: first), WeightFreeDefaults.selfAttentionWeights(for: second)),
            (WeightFreeDefaults.axialAttentionWeights(for: first, sumAxialOut: true),
             WeightFreeDefaults.axialAttentionWeights(for: second, sumAxialOut: true)),
            (WeightFreeDefaults.coordinateAttentionWeights(for: first), WeightFreeDefaults.coordinateAttentionWeights(for: second)),
        ]
        for (a, b) in pairs {
            #expect(a.names == b.names && a.metadata == b.metadata)
            for name in a.names { #expect(a.tensors[name] == b.tensors[name], "\(name)") }
        }
        let layer = try MultiHeadSelfAttention(weights: pairs[0].0)
        let mapA = try layer(first.sequence, capture: .full).attention
        let mapB = try layer(second.sequence, capture: .full).attention
        #expect(mapA == mapB)
    }

    /// The weights are a function of the image: another image gives other temperatures and
    /// another texture basis (so nothing is a fixed or random constant).
    @Test func weightsFollowTheImage() {
        let textured = WeightFreeDefaults.featureGrid(image: FeatureGridTests.texturedImage(), cellSize: 4)
        let squares = WeightFreeDefaults.featureGrid(image: SyntheticImages.twoRedSquares().image, cellSize: 4)
        #expect(WeightFreeDefaults.selfAttentionWeights(for: textured).metadata["temperatures"]
                != WeightFreeDefaults.selfAttentionWeights(for: squares).metadata["temperatures"])
        #expect(textured.embedding.weight.storage[(3 * 3) * 16..<(4 * 3) * 16]
                != squares.embedding.weight.storage[(3 * 3) * 16..<(4 * 3) * 16])
    }
}
