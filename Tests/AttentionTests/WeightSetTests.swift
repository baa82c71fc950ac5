import Testing
import TensorCore
@testable import Attention

@Suite struct WeightSetTests {
    let tensor = Tensor(shape: [2], storage: [1, 2])

    @Test func scopedStripsCheckpointPrefixesAndTheGivenPrefix() {
        let weights = WeightSet(
            tensors: ["module.backbone.blocks.0.attn.qkv.weight": tensor, "backbone.blocks.0.attn.proj.bias": tensor,
                      "blocks.1.attn.qkv.weight": tensor, "head.weight": tensor],
            metadata: ["module": "self_attention"])
        let scoped = weights.scoped(to: "blocks.0.attn")
        #expect(scoped.names == ["proj.bias", "qkv.weight"])
        #expect(scoped.metadata == ["module": "self_attention"])
        #expect(weights.scoped(to: "blocks.0.attn.").names == ["proj.bias", "qkv.weight"])
        #expect(weights.scoped(to: "").names == ["blocks.0.attn.proj.bias", "blocks.0.attn.qkv.weight",
                                                 "blocks.1.attn.qkv.weight", "head.weight"])
    }

    @Test func requireNamesMissingTensorsAndShapes() throws {
        var weights = WeightSet(tensors: ["a": tensor])
        #expect(throws: AttentionError.missingTensor(name: "b", module: "m")) { _ = try weights.require("b", module: "m") }
        #expect(throws: AttentionError.shapeMismatch(name: "a", expected: [3], got: [2])) {
            _ = try weights.require("a", shape: [3], module: "m")
        }
        #expect(throws: AttentionError.rankMismatch(name: "a", expectedRank: 2, got: [2])) {
            _ = try weights.require("a", rank: 2, module: "m")
        }
        #expect(try weights.require("a", shape: [2], module: "m") == tensor)
        #expect(try weights.optional("b", module: "m") == nil)
    }

    @Test func unusedNamesSkipBookkeepingTensors() throws {
        var weights = WeightSet(tensors: ["used": tensor, "stray": tensor, "bn1.num_batches_tracked": tensor])
        _ = try weights.require("used", module: "m")
        #expect(weights.unusedNames == ["stray"])
    }

    @Test func hyperparametersParseAndReportBadValues() throws {
        let weights = WeightSet(metadata: ["num_heads": " 4", "scale": "1.5", "flag": "False", "bad": "four",
                                           "zero": "0", "dim_heads": "None"])
        #expect(try weights.integer("num_heads", module: "m") == 4)
        #expect(try weights.number("scale", module: "m") == 1.5)
        #expect(try weights.boolean("flag", default: true) == false)
        #expect(try weights.boolean("absent", default: true) == true)
        #expect(try weights.optionalInteger("dim_heads") == nil)
        #expect(throws: AttentionError.invalidHyperparameter(name: "bad", value: "four", reason: "expected an integer")) {
            _ = try weights.integer("bad", module: "m")
        }
        #expect(throws: AttentionError.invalidHyperparameter(name: "zero", value: "0", reason: "must be at least 1")) {
            _ = try weights.integer("zero", module: "m")
        }
        #expect(throws: AttentionError.missingHyperparameter(name: "heads", module: "m")) {
            _ = try weights.integer("heads", module: "m")
        }
    }

    /// An axial model with `dim_heads` = Int.max used to crash `vis forward` (heads · dim_heads
    /// overflowed); hyperparameters above 2²⁰ are refused by name.
    @Test func hugeIntegerHyperparametersAreRefused() throws {
        let weights = WeightSet(metadata: ["dim_heads": "9223372036854775807", "heads": "1048576", "big": "1048577"])
        #expect(try weights.integer("heads", module: "m") == 1 << 20)
        #expect(throws: AttentionError.invalidHyperparameter(name: "dim_heads", value: "9223372036854775807",
                                                             reason: "must be at most 1048576")) {
            _ = try weights.optionalInteger("dim_heads")
        }
        #expect(throws: AttentionError.invalidHyperparameter(name: "big", value: "1048577", reason: "must be at most 1048576")) {
            _ = try weights.integer("big", module: "m")
        }
        let fixture = try #require(ParityFixture.cases(of: "axial_attention").first { $0.name == "dim_heads_sum_false" })
        var axial = try WeightSet(path: fixture.directory + "/model.safetensors")
        axial.metadata["dim_heads"] = "9223372036854775807"
        #expect(throws: AttentionError.invalidHyperparameter(name: "dim_heads", value: "9223372036854775807",
                                                             reason: "must be at most 1048576")) {
            _ = try AxialAttention(weights: axial)
        }
    }
}
