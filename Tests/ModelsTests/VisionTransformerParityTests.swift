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

    /// With the class token alone carried through the last block, the class token's final
    /// state, the logits, the earlier blocks' attention and the class token's row of the last
    /// block's attention are the reference's, and nothing else of the last block is computed.
    @Test(arguments: cases.filter { $0 != "timm_dinov2_reg_f16" })
    func classTokenReadout(_ name: String) throws {
        let folder = Fixture.path(name)
        let model = try ViTCheckpoint(path: folder).model
        let alone = model.readsClassTokenAlone
        try #require(alone, "\(name) has a class token and pools by it (or has no head)")
        let input = try Fixture.tensors(folder + "/input.safetensors")["input"]!
        let expected = try Fixture.tensors(folder + "/expected.safetensors")
        let result = try model(input, capture: .full, readout: .classToken)
        let last = model.blocks.count - 1
        #expect(result.output.shape == [input.shape[0], 1, model.configuration.dimension])
        expectClose(result.output, expected["output"]!.slice(axis: 1, range: 0..<1), "\(name) output, class token")
        if let logits = expected["logits"] { expectClose(try #require(result.logits), logits, "\(name) logits") }
        #expect(result.attention.count == model.blocks.count)
        for i in 0..<last {
            expectClose(result.attention[i], expected["attention.\(i)"]!, "\(name) attention.\(i)")
        }
        let row = expected["attention.\(last)"]!.slice(axis: 2, range: 0..<1)
        print("class-token readout \(name): largest |error| of the last block's row = \(largestError(result.attention[last], row))")
        expectClose(result.attention[last], row, "\(name) attention.\(last), class token's row")
    }

    /// A ragged batch (the fixture's images one by one, and the first cropped by one patch
    /// row, so of another length) gives each image the reference's tensors, and the cropped
    /// one its own single pass; with the class-token readout too.
    @Test(arguments: cases)
    func raggedBatchIsEachImagesPass(_ name: String) throws {
        let folder = Fixture.path(name)
        let model = try ViTCheckpoint(path: folder).model
        let input = try Fixture.tensors(folder + "/input.safetensors")["input"]!
        let expected = try Fixture.tensors(folder + "/expected.safetensors")
        let (b, p) = (input.shape[0], model.configuration.patchSize)
        let images = (0..<b).map { input.slice(axis: 0, range: $0..<($0 + 1)) }
        let cropped = images[0].slice(axis: 2, range: 0..<(input.shape[2] - p))
        let readouts: [VisionTransformer.Readout] = model.readsClassTokenAlone ? [.allTokens, .classToken] : [.allTokens]
        for readout in readouts {
            let results = try model(images: images + [cropped], readout: readout)
            #expect(results.count == b + 1)
            let alone = try model(cropped, capture: .full, readout: readout)
            for (i, result) in results.enumerated() {
                let label = "\(name) \(readout) image \(i)"
                let reference: [String: Tensor]
                if i < b {
                    reference = expected.mapValues { $0.slice(axis: 0, range: i..<(i + 1)) }
                } else {
                    reference = Dictionary(uniqueKeysWithValues: alone.attention.enumerated().map { ("attention.\($0)", $1) })
                        .merging(["output": alone.output], uniquingKeysWith: { a, _ in a })
                        .merging(alone.logits.map { ["logits": $0] } ?? [:], uniquingKeysWith: { a, _ in a })
                }
                let last = model.blocks.count - 1
                let classOnly = readout == .classToken && i < b
                expectClose(result.output, classOnly ? reference["output"]!.slice(axis: 1, range: 0..<1) : reference["output"]!,
                            "\(label) output")
                if let logits = reference["logits"] { expectClose(try #require(result.logits), logits, "\(label) logits") }
                #expect(result.attention.count == model.blocks.count)
                for (block, map) in result.attention.enumerated() {
                    let want = reference["attention.\(block)"]!
                    expectClose(map, classOnly && block == last ? want.slice(axis: 2, range: 0..<1) : want, "\(label) attention.\(block)")
                }
            }
        }
    }

    /// A model that pools by averaging into its head needs every token of the last block.
    @Test func averagePoolingNeedsEveryToken() throws {
        let model = try ViTCheckpoint(path: Fixture.path("timm_dinov2_reg_f16")).model
        let (pooling, alone) = (model.configuration.pooling, model.readsClassTokenAlone)
        #expect(pooling == .average && model.head != nil && !alone)
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
