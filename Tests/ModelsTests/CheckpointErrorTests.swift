import Attention
import Foundation
import Testing
import TensorCore
@testable import Models

/// Bad checkpoints and inputs give a specific error naming what is wrong.
@Suite struct CheckpointErrorTests {
    /// A copy of fixture `name` in a fresh temporary folder, with `edit` applied to its
    /// tensors and `config` (nil: no config.json) written beside them.
    static func variant(of name: String, config: String?, edit: (inout [String: Tensor]) -> Void = { _ in }) throws -> String {
        let folder = NSTemporaryDirectory() + "vit-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var tensors = try Fixture.tensors(Fixture.path(name) + "/model.safetensors")
        edit(&tensors)
        var writer = SafetensorsWriter()
        for (key, tensor) in tensors { writer.add(name: key, tensor: tensor) }
        try writer.write(to: folder + "/model.safetensors")
        if let config { try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8) }
        return folder
    }

    static func config(of name: String) throws -> String {
        try String(contentsOfFile: Fixture.path(name) + "/config.json", encoding: .utf8)
    }

    @Test func unknownArchitecture() throws {
        let config = try Self.config(of: "timm_vit_head").replacingOccurrences(of: "vit_tiny_patch16_224", with: "convnext_tiny")
        let folder = try Self.variant(of: "timm_vit_head", config: config)
        #expect(throws: ModelError.unknownArchitecture(name: "convnext_tiny", file: folder + "/config.json")) {
            try ViTCheckpoint(path: folder)
        }
    }

    /// Without config.json the structure comes from the shapes, but the head count cannot.
    @Test func missingConfigNeedsHeads() throws {
        let folder = try Self.variant(of: "timm_vit_head", config: nil)
        do {
            _ = try ViTCheckpoint(path: folder)
            Issue.record("loaded without a head count")
        } catch let error as ModelError {
            guard case let .missingSetting(_, option, _) = error else { Issue.record("\(error)"); return }
            #expect(option == "--num-heads")
            #expect(error.description.contains("--num-heads"))
        }
        // With the count given, the shapes tell the rest: the same numbers as with config.json.
        let input = try Fixture.tensors(Fixture.path("timm_vit_head") + "/input.safetensors")["input"]!
        let expected = try Fixture.tensors(Fixture.path("timm_vit_head") + "/expected.safetensors")
        let result = try ViTCheckpoint(path: folder, numHeads: 4).model(input, capture: .none)
        expectClose(result.logits!, expected["logits"]!, "logits without config.json")
    }

    @Test func missingTensorIsNamed() throws {
        let folder = try Self.variant(of: "timm_vit_head", config: try Self.config(of: "timm_vit_head")) {
            $0["blocks.1.mlp.fc2.weight"] = nil
        }
        #expect(throws: AttentionError.missingTensor(name: "blocks.1.mlp.fc2.weight", module: folder + "/model.safetensors")) {
            try ViTCheckpoint(path: folder)
        }
    }

    @Test func misshapenTensorIsNamed() throws {
        let folder = try Self.variant(of: "timm_vit_head", config: try Self.config(of: "timm_vit_head")) {
            $0["blocks.0.norm2.bias"] = Tensor(shape: [15])
        }
        #expect(throws: AttentionError.shapeMismatch(name: "blocks.0.norm2.bias", expected: [16], got: [15])) {
            try ViTCheckpoint(path: folder)
        }
    }

    /// transformers checkpoints are named in their own names.
    @Test func transformersTensorNamesInErrors() throws {
        let folder = try Self.variant(of: "hf_dinov2", config: try Self.config(of: "hf_dinov2")) {
            $0["encoder.layer.1.layer_scale2.lambda1"] = Tensor(shape: [3])
        }
        #expect(throws: AttentionError.shapeMismatch(name: "encoder.layer.1.layer_scale2.lambda1", expected: [16], got: [3])) {
            try ViTCheckpoint(path: folder)
        }
    }

    @Test func unusedTensorIsNamed() throws {
        let folder = try Self.variant(of: "timm_vit_head", config: try Self.config(of: "timm_vit_head")) {
            $0["blocks.2.norm1.weight"] = Tensor(shape: [16])
        }
        #expect(throws: ModelError.unusedTensors(names: ["blocks.2.norm1.weight"], file: folder + "/model.safetensors")) {
            try ViTCheckpoint(path: folder)
        }
    }

    /// A config.json setting no vision transformer can have, and the setting the error names.
    struct BadSetting: Sendable, CustomTestStringConvertible {
        let fixture: String
        /// The path of keys to the setting in config.json, e.g. ["model_args", "mlp_ratio"].
        let keys: [String]
        let value: String   // JSON
        var testDescription: String { "\(fixture): \(keys.joined(separator: ".")) = \(value)" }
    }

    /// Each of these crashed the process (a conversion of 1e300 to Int, a division by a zero
    /// patch, a negative range, an empty mean indexed, a label table sized by its largest
    /// key) or was used silently (a zero std, an infinite epsilon, a zero crop) before the
    /// settings were range-checked; now each is refused by name, with the file.
    static let badSettings: [BadSetting] = [
        BadSetting(fixture: "timm_vit_head", keys: ["model_args", "mlp_ratio"], value: "1e300"),
        BadSetting(fixture: "timm_vit_head", keys: ["model_args", "img_size"], value: "0"),
        BadSetting(fixture: "timm_vit_head", keys: ["model_args", "depth"], value: "-1"),
        BadSetting(fixture: "timm_vit_head", keys: ["pretrained_cfg", "mean"], value: "[]"),
        BadSetting(fixture: "timm_vit_head", keys: ["pretrained_cfg", "std"], value: "[0.2, 0, 0.2]"),
        BadSetting(fixture: "timm_vit_head", keys: ["pretrained_cfg", "input_size"], value: "[3, 1e300, 16]"),
        BadSetting(fixture: "timm_vit_head", keys: ["pretrained_cfg", "crop_pct"], value: "0"),
        BadSetting(fixture: "hf_vit_head", keys: ["patch_size"], value: "0"),
        BadSetting(fixture: "hf_vit_head", keys: ["num_hidden_layers"], value: "-1"),
        BadSetting(fixture: "hf_vit_head", keys: ["layer_norm_eps"], value: "1e300"),
        BadSetting(fixture: "hf_vit_head", keys: ["id2label"], value: #"{"99999999999": "cat"}"#),
        BadSetting(fixture: "hf_dinov2", keys: ["mlp_ratio"], value: "1e300"),
    ]

    @Test(arguments: badSettings) func impossibleSettingIsNamed(_ bad: BadSetting) throws {
        let original = try JSONSerialization.jsonObject(with: Data(try Self.config(of: bad.fixture).utf8))
        let value = try JSONSerialization.jsonObject(with: Data(bad.value.utf8), options: .fragmentsAllowed)
        func setting(_ object: Any, _ keys: ArraySlice<String>) -> Any {
            guard let key = keys.first, var dictionary = object as? [String: Any] else { return value }
            dictionary[key] = setting(dictionary[key] ?? [String: Any](), keys.dropFirst())
            return dictionary
        }
        let edited = try JSONSerialization.data(withJSONObject: setting(original, bad.keys[...]))
        let folder = try Self.variant(of: bad.fixture, config: String(decoding: edited, as: UTF8.self))
        do {
            _ = try ViTCheckpoint(path: folder)
            Issue.record("loaded with \(bad.testDescription)")
        } catch let error as ModelError {
            guard case let .invalidSetting(name, _, reason) = error else { Issue.record("\(error)"); return }
            #expect(name == bad.keys.last)
            #expect(reason.hasSuffix("in \(folder)/config.json"))
        }
    }

    /// The block count read from the tensors' names is bounded too: one stray name
    /// (`blocks.99999.…`) would otherwise size the model's loops.
    @Test func depthFromNamesIsBounded() throws {
        let folder = try Self.variant(of: "timm_vit_head", config: nil) { $0["blocks.99999.norm1.weight"] = Tensor(shape: [16]) }
        do {
            _ = try ViTCheckpoint(path: folder, numHeads: 4)
            Issue.record("loaded with a block 99999")
        } catch let error as ModelError {
            guard case let .invalidSetting(name, value, _) = error else { Issue.record("\(error)"); return }
            #expect(name == "depth" && value == "100000")
        }
    }

    @Test func imageSmallerThanOnePatch() throws {
        let model = try ViTCheckpoint(path: Fixture.path("timm_vit_head")).model
        #expect(throws: ModelError.imageSmallerThanPatch(height: 3, width: 16, patchSize: 4)) {
            try model(Tensor(shape: [1, 3, 3, 16]))
        }
    }
}
