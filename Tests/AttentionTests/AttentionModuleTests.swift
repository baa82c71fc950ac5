import Testing
import TensorCore
@testable import Attention

@Suite struct AttentionModuleTests {
    static func selfAttentionWeights(dimension c: Int = 8, heads: String = "2") -> WeightSet {
        WeightSet(tensors: ["qkv.weight": randomTensor([3 * c, c], seed: 1), "proj.weight": randomTensor([c, c], seed: 2),
                            "proj.bias": randomTensor([c], seed: 3)],
                  metadata: ["module": "self_attention", "num_heads": heads])
    }

    @Test func missingTensorIsNamed() {
        var weights = Self.selfAttentionWeights()
        weights = WeightSet(tensors: weights.tensors.filter { $0.key != "proj.bias" }, metadata: weights.metadata)
        #expect(throws: AttentionError.missingTensor(name: "proj.bias", module: "self_attention")) {
            _ = try AttentionModule(weights: weights)
        }
        let description = AttentionError.missingTensor(name: "proj.bias", module: "self_attention").description
        #expect(description == "missing tensor 'proj.bias' needed by module 'self_attention'")
    }

    @Test func wrongShapeNamesExpectedAndGot() {
        var weights = Self.selfAttentionWeights()
        weights.set(randomTensor([24, 7], seed: 4), for: "qkv.weight")
        let error = AttentionError.shapeMismatch(name: "qkv.weight", expected: [24, 8], got: [24, 7])
        #expect(throws: error) { _ = try AttentionModule(weights: weights) }
        #expect(error.description == "tensor 'qkv.weight' has shape [24, 7], expected [24, 8]")
    }

    @Test func unknownAndMissingModuleNames() {
        #expect(throws: AttentionError.unknownModule(name: "dense")) {
            _ = try AttentionModule(weights: WeightSet(metadata: ["module": "dense"]))
        }
        #expect(AttentionError.unknownModule(name: "dense").description.contains("patch_embed, self_attention"))
        #expect(throws: AttentionError.missingHyperparameter(name: "module", module: "(unnamed)")) {
            _ = try AttentionModule(weights: WeightSet())
        }
    }

    @Test func headsNotDividingTheDimension() {
        let error = AttentionError.invalidHyperparameter(name: "num_heads", value: "3",
                                                         reason: "must divide the embedding dimension 8")
        #expect(throws: error) { _ = try AttentionModule(weights: Self.selfAttentionWeights(heads: "3")) }
        #expect(error.description == "invalid hyperparameter num_heads = '3': must divide the embedding dimension 8")
    }

    @Test func forwardProducesContractNamesAndHonoursCapture() throws {
        let module = try AttentionModule(weights: Self.selfAttentionWeights())
        let input = randomTensor([1, 5, 8], seed: 5)
        let outputs = try module.forward(inputs: ["input": input])
        #expect(outputs.keys.sorted() == ["attention", "output"])
        #expect(outputs["attention"]?.shape == [1, 2, 5, 5])
        #expect(try module.forward(inputs: ["input": input], capture: .none).keys.sorted() == ["output"])
        #expect(throws: AttentionError.missingInput(name: "input", module: "self_attention")) {
            _ = try module.forward(inputs: ["x": input])
        }
        let glimpse = try AttentionModule(weights: WeightSet(metadata: [
            "module": "glimpse", "patch_size": "2", "num_patches": "2", "scale": "2"]))
        #expect(glimpse.outputNames == ["glimpses"])
        let glimpses = try glimpse.forward(inputs: ["input": Tensor(shape: [1, 3, 8, 8]),
                                                    "locations": Tensor(shape: [1, 2])])
        #expect(glimpses["glimpses"]?.shape == [1, 6, 2, 2])
    }
}
