import Foundation
import TensorCore
import Testing

/// `vis PATH --weights FILE`: several modules under their Contract 1 names in one file.
@Suite struct WeightsOptionTests {
    /// Deterministic, non-trivial values.
    static func tensor(_ shape: [Int], seed: Int) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, storage: (0..<n).map { Float(sin(Double($0 * 7 + seed))) * 0.3 })
    }

    static func model(embedding: Int, attention: Int) throws -> String {
        var writer = SafetensorsWriter(metadata: ["self_attention.num_heads": "2", "patch_embed.patch_size": "4"])
        writer.add(name: "patch_embed.proj.weight", tensor: tensor([embedding, 3, 4, 4], seed: 1))
        writer.add(name: "patch_embed.proj.bias", tensor: tensor([embedding], seed: 2))
        writer.add(name: "self_attention.qkv.weight", tensor: tensor([3 * attention, attention], seed: 3))
        writer.add(name: "self_attention.qkv.bias", tensor: tensor([3 * attention], seed: 4))
        writer.add(name: "self_attention.proj.weight", tensor: tensor([attention, attention], seed: 5))
        writer.add(name: "self_attention.proj.bias", tensor: tensor([attention], seed: 6))
        let path = VisBinary.temporaryFolder() + "/model.safetensors"
        try writer.write(to: path)
        return path
    }

    let image = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/pngsuite/basn2c08.png")

    @Test func userModulesRender() throws {
        let out = VisBinary.temporaryFolder()
        let result = try VisBinary.run([image, "--mode", "self", "--weights", try Self.model(embedding: 8, attention: 8),
                                        "--out", out, "--grid", "8", "--heads", "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: out + "/basn2c08_self.png"))
    }

    @Test func mismatchedWidthsNameBothSizes() throws {
        let out = VisBinary.temporaryFolder()
        let result = try VisBinary.run([image, "--mode", "self", "--weights", try Self.model(embedding: 8, attention: 16),
                                        "--out", out, "--grid", "8", "--quiet"])
        #expect(result.status == 1)
        #expect(result.error.contains("expects 16 channels but the embedding gives 8"), "\(result.error)")
    }

    @Test func missingModuleIsNamed() throws {
        let out = VisBinary.temporaryFolder()
        let result = try VisBinary.run([image, "--mode", "coord", "--weights", try Self.model(embedding: 8, attention: 8),
                                        "--out", out, "--grid", "8", "--quiet"])
        #expect(result.status == 1)
        #expect(result.error.contains("coordinate_attention"), "\(result.error)")
    }
}
