import Attention
import Testing
import TensorCore
@testable import Models

/// Whole models against timm and transformers (fixtures of `tools/make_vit_fixtures.py`):
/// every output, logit and attention tensor within 1e-4 + 1e-4·|ref|.
@Suite struct VisionTransformerParityTests {
    static let cases = ["timm_vit_head", "timm_dinov2_reg_f16", "timm_vit_resampled", "hf_vit_head", "hf_dinov2",
                        "hf_dinov2_reg"]

    @Test(arguments: cases)
    func matchesReference(_ name: String) throws {
        let folder = Fixture.path(name)
        let checkpoint = try ViTCheckpoint(path: folder)
        let input = try Fixture.tensors(folder + "/input.safetensors")["input"]!
        let expected = try Fixture.tensors(folder + "/expected.safetensors")
        let outputs = try checkpoint.model.contractOutputs(input)
        #expect(Set(outputs.keys) == Set(expected.keys), "\(name): output names")
        for key in expected.keys.sorted() {
            guard let got = outputs[key] else { continue }
            print("parity \(name) \(key): largest |error| = \(largestError(got, expected[key]!))")
            expectClose(got, expected[key]!, "\(name) \(key)")
        }
    }

    /// The file itself as MODEL (config.json beside it) loads the same model as its folder.
    @Test func fileOrFolder() throws {
        let folder = Fixture.path("timm_vit_head")
        let input = try Fixture.tensors(folder + "/input.safetensors")["input"]!
        let a = try ViTCheckpoint(path: folder).model(input, capture: .none)
        let b = try ViTCheckpoint(path: folder + "/model.safetensors").model(input, capture: .none)
        #expect(a.output == b.output && a.logits == b.logits)
    }

    /// What the loaders read from config.json besides the structure.
    @Test func labelsAndPreprocessing() throws {
        let vit = try ViTCheckpoint(path: Fixture.path("hf_vit_head"))
        #expect(vit.format == .transformers && vit.labels == ["cat", "dog", "bird"])
        let timm = try ViTCheckpoint(path: Fixture.repository + "/models/vit-mnist")
        #expect(timm.format == .timm && timm.labels == (0...9).map(String.init))
        #expect(timm.preprocessing == .init(mean: [0.1307], std: [0.3081], inputSize: [1, 28, 28], cropPercent: 1.0))
        #expect(timm.model.norm == nil && timm.model.configuration.numHeads == 7)
    }
}
