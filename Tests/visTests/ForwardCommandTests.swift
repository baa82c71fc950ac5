import Foundation
import TensorCore
import Testing

/// `vis forward` per Contract 2 on the PyTorch parity fixtures, run as the built binary.
@Suite struct ForwardCommandTests {
    static let fixtures = VisBinary.repositoryFile("Tests/AttentionTests/Fixtures")
    static let cases = ["patch_embed/odd_sizes", "self_attention/qkv_bias", "axial_attention/sum_false_batch2_nonsquare",
                        "coordinate_attention/batch2_nonsquare", "axial_attention/f16_weights"]

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let folder = Self.fixtures + "/" + name
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try VisBinary.run(["forward", folder + "/model.safetensors", folder + "/input.safetensors",
                                        "-o", out, "--warmup", "1", "--repeat", "3", "--json"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"median_ms\""))
        let got = try SafetensorsFile.read(path: out)
        let expected = try SafetensorsFile.read(path: folder + "/expected.safetensors")
        for tensorName in expected.names {
            let want = try expected.tensor(tensorName)
            let have = try got.tensor(tensorName)
            #expect(have.shape == want.shape, "\(name) \(tensorName)")
            let worst = zip(have.storage, want.storage).map { abs($0 - $1) - (1e-4 + 1e-4 * abs($1)) }.max() ?? 0
            #expect(worst <= 0, "\(name) \(tensorName): beyond 1e-4 + 1e-4·|ref| by \(worst)")
        }
    }

    /// The glimpse on a non-square image: x through the width by default (expected_xw), the
    /// reference's height-for-both-axes with the flag (expected).
    @Test(arguments: [false, true])
    func glimpseAxes(_ reference: Bool) throws {
        let folder = Self.fixtures + "/glimpse/wide"
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try VisBinary.run(["forward", folder + "/model.safetensors", folder + "/input.safetensors", "-o", out]
            + (reference ? ["--reference-glimpse-axes"] : []))
        #expect(result.status == 0, "\(result.error)")
        let want = try SafetensorsFile.read(path: folder + (reference ? "/expected.safetensors" : "/expected_xw.safetensors"))
        #expect(try SafetensorsFile.read(path: out).tensor("glimpses") == want.tensor("glimpses"))
    }

    @Test func negativeWarmupIsAUsageError() throws {
        let folder = Self.fixtures + "/self_attention/qkv_bias"
        let result = try VisBinary.run(["forward", folder + "/model.safetensors", folder + "/input.safetensors",
                                        "-o", VisBinary.temporaryFolder() + "/o.safetensors", "--warmup=-1"])
        #expect(result.status == 2)
        #expect(result.error.contains("--warmup must be 0 or more, got -1"))
    }

    @Test func missingInputTensorIsNamed() throws {
        let folder = Self.fixtures + "/self_attention/qkv_bias"
        let result = try VisBinary.run(["forward", folder + "/model.safetensors", folder + "/model.safetensors",
                                        "-o", VisBinary.temporaryFolder() + "/o.safetensors"])
        #expect(result.status != 0)
        #expect(result.error.contains("'input'"))
    }

    @Test func unknownModuleIsNamed() throws {
        let folder = VisBinary.temporaryFolder()
        var writer = SafetensorsWriter(metadata: ["module": "transformer_xl"])
        writer.add(name: "w", tensor: Tensor(shape: [1], repeating: 1))
        try writer.write(to: folder + "/m.safetensors")
        let input = Self.fixtures + "/self_attention/qkv_bias/input.safetensors"
        let result = try VisBinary.run(["forward", folder + "/m.safetensors", input, "-o", folder + "/o.safetensors"])
        #expect(result.status == 1)
        #expect(result.error.contains("transformer_xl"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/o.safetensors"))
    }
}
