import Attention
import Foundation
import Testing
import TensorCore
@testable import Models

/// Bad model files and bad inputs are thrown errors that name the tensor or input.
@Suite struct RecurrentAttentionErrorTests {
    /// The real checkpoint's tensors and metadata, to be spoiled one at a time.
    static func checkpoint() throws -> WeightSet { try WeightSet(path: RAMFixtures.modelPath) }

    /// Writes `weights` as a model file and loads it.
    static func load(_ weights: WeightSet) throws -> RecurrentAttentionModel {
        var writer = SafetensorsWriter(metadata: weights.metadata)
        for name in weights.names { writer.add(name: name, tensor: weights.tensors[name]!) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ram-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writer.write(to: path)
        return try RecurrentAttentionModel(path: path)
    }

    @Test func theCheckpointLoadsWithOnlyTheBaselineUnused() throws {
        var weights = try Self.checkpoint()
        let model = try RecurrentAttentionModel(loading: &weights)
        #expect(weights.unusedNames == ["baseliner.fc.bias", "baseliner.fc.weight"])
        #expect(model.numGlimpses == 6 && model.hiddenSize == 256 && model.numClasses == 10 && model.channels == 1)
        #expect(model.standardDeviation == 0.17 && model.inputMean == 0.1307 && model.inputStandardDeviation == 0.3081)
        #expect(model.sensor.patchSize == 8 && model.sensor.patchSides == [8])
    }

    @Test(arguments: ["rnn.h2h.weight", "sensor.fc3.bias", "locator.fc.weight", "classifier.fc.bias"])
    func missingTensorIsNamed(_ name: String) throws {
        var weights = try Self.checkpoint()
        weights = WeightSet(tensors: weights.tensors.filter { $0.key != name }, metadata: weights.metadata)
        #expect(throws: AttentionError.missingTensor(name: name, module: "recurrent_attention_model")) {
            _ = try Self.load(weights)
        }
    }

    @Test func misShapedTensorIsNamedWithBothShapes() throws {
        var weights = try Self.checkpoint()
        weights.set(Tensor(shape: [3, 256]), for: "locator.fc.weight")
        #expect(throws: AttentionError.shapeMismatch(name: "locator.fc.weight", expected: [2, 256], got: [3, 256])) {
            _ = try Self.load(weights)
        }
        weights = try Self.checkpoint()
        weights.set(Tensor(shape: [256, 128]), for: "rnn.i2h.weight")
        #expect(throws: AttentionError.shapeMismatch(name: "rnn.i2h.weight", expected: [256, 256], got: [256, 128])) {
            _ = try Self.load(weights)
        }
    }

    @Test func missingOrWrongHyperparameterIsNamed() throws {
        var weights = try Self.checkpoint()
        weights.metadata["std"] = nil
        #expect(throws: AttentionError.missingHyperparameter(name: "std", module: "recurrent_attention_model")) {
            _ = try Self.load(weights)
        }
        weights = try Self.checkpoint()
        weights.metadata["module"] = "glimpse"
        #expect(throws: AttentionError.unknownModule(name: "glimpse")) { _ = try Self.load(weights) }
        // A glimpse count of 10¹² used to size the run's buffers (an 8 TB allocation): every
        // integer is at most 2²⁰, and a glimpse count at most 1024.
        weights = try Self.checkpoint()
        weights.metadata["num_glimpses"] = "1000000000000"
        #expect(throws: AttentionError.invalidHyperparameter(name: "num_glimpses", value: "1000000000000",
                                                             reason: "must be at most 1048576")) { _ = try Self.load(weights) }
        weights.metadata["num_glimpses"] = "1025"
        #expect(throws: AttentionError.invalidHyperparameter(name: "num_glimpses", value: "1025",
                                                             reason: "must be at most 1024")) { _ = try Self.load(weights) }
    }

    @Test func badInputsAreNamed() throws {
        let model = RAMFixtures.model
        let centre = Tensor(shape: [2, 2])
        #expect(throws: AttentionError.inputShape(name: "input", expected: "[B, 1, 28, 28]", got: [2, 3, 28, 28])) {
            _ = try model.run(Tensor(shape: [2, 3, 28, 28]), firstLocations: centre)
        }
        #expect(throws: AttentionError.inputShape(name: "input", expected: "[B, 1, 28, 28]", got: [2, 1, 32, 32])) {
            _ = try model.run(Tensor(shape: [2, 1, 32, 32]), firstLocations: centre)
        }
        #expect(throws: AttentionError.inputShape(name: "noise", expected: "[2, 5, 2]", got: [2, 6, 2])) {
            _ = try model.run(Tensor(shape: [2, 1, 28, 28]), firstLocations: centre, noise: Tensor(shape: [2, 6, 2]))
        }
        #expect(throws: AttentionError.inputShape(name: "locations", expected: "(x, y) in [-1, 1]", got: [2, 2])) {
            _ = try model.run(Tensor(shape: [2, 1, 28, 28]), firstLocations: Tensor(shape: [2, 2], storage: [0, 0, 1.5, 0]))
        }
    }
}
