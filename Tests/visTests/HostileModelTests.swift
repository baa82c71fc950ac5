import Foundation
import TensorCore
import Testing

/// Hostile model files on the command line: `vis forward` and `vis PATH --weights` refuse
/// NaN/Inf weights and malformed files with one line naming the file and the tensor, and
/// write nothing.
@Suite struct HostileModelTests {
    static let fixture = VisBinary.repositoryFile("Tests/AttentionTests/Fixtures/self_attention/qkv_bias")

    /// The parity fixture's model with one weight replaced by NaN (or +Inf).
    static func poisoned(_ value: Float) throws -> String {
        let original = try SafetensorsFile.read(path: fixture + "/model.safetensors")
        var writer = SafetensorsWriter(metadata: original.metadata)
        for name in original.names {
            var tensor = try original.tensor(name)
            if name == "proj.weight" { tensor.storage[5] = value }
            writer.add(name: name, tensor: tensor)
        }
        let path = VisBinary.temporaryFolder() + "/poisoned.safetensors"
        try writer.write(to: path)
        return path
    }

    @Test(arguments: [Float.nan, Float.infinity])
    func forwardRefusesNonFiniteWeights(value: Float) throws {
        let model = try Self.poisoned(value)
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try VisBinary.run(["forward", model, Self.fixture + "/input.safetensors", "-o", out])
        #expect(result.status != 0)
        #expect(result.error.contains("non-finite value in tensor 'proj.weight'"), "\(result.error)")
        #expect(result.error.contains(value.isNaN ? "the first, nan," : "the first, inf,"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func renderRefusesNonFiniteWeights() throws {
        var writer = SafetensorsWriter(metadata: ["patch_embed.patch_size": "4"])
        writer.add(name: "patch_embed.proj.weight", tensor: Tensor(shape: [8, 3, 4, 4], repeating: 0.1))
        writer.add(name: "patch_embed.proj.bias", tensor: Tensor(shape: [8], storage: [0, 0, 0, -.infinity, 0, 0, 0, 0]))
        let model = VisBinary.temporaryFolder() + "/model.safetensors"
        try writer.write(to: model)
        let out = VisBinary.temporaryFolder()
        let image = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/pngsuite/basn2c08.png")
        let result = try VisBinary.run([image, "--mode", "patch", "--weights", model, "--out", out, "--quiet"])
        #expect(result.status != 0)
        #expect(result.error.contains("tensor 'patch_embed.proj.bias'") && result.error.contains("-inf"), "\(result.error)")
        #expect(RenderCommandTests.files(under: out).isEmpty)
    }

    /// A model file whose header length points past its end: refused from the first 8 bytes.
    @Test func forwardRefusesATruncatedModel() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/model.safetensors")))
        let model = VisBinary.temporaryFolder() + "/cut.safetensors"
        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: model))
        let result = try VisBinary.run(["forward", model, Self.fixture + "/input.safetensors",
                                        "-o", VisBinary.temporaryFolder() + "/o.safetensors"])
        #expect(result.status != 0)
        #expect(result.error.contains("cut.safetensors") && result.error.contains("header"), "\(result.error)")
    }
}
