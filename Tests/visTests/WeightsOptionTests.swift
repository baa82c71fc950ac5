import Foundation
import ImageCodecs
import TensorCore
import Testing

/// `vis PATH --weights FILE`: several modules under their Contract 1 names in one file.
@Suite struct WeightsOptionTests {
    /// Deterministic, non-trivial values.
    static func tensor(_ shape: [Int], seed: Int) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, storage: (0..<n).map { Float(sin(Double($0 * 7 + seed))) * 0.3 })
    }

    static func model(embedding: Int, attention: Int, stray: Bool = false) throws -> String {
        var writer = SafetensorsWriter(metadata: ["self_attention.num_heads": "2", "patch_embed.patch_size": "4"])
        writer.add(name: "patch_embed.proj.weight", tensor: tensor([embedding, 3, 4, 4], seed: 1))
        writer.add(name: "patch_embed.proj.bias", tensor: tensor([embedding], seed: 2))
        writer.add(name: "self_attention.qkv.weight", tensor: tensor([3 * attention, attention], seed: 3))
        writer.add(name: "self_attention.qkv.bias", tensor: tensor([3 * attention], seed: 4))
        writer.add(name: "self_attention.proj.weight", tensor: tensor([attention, attention], seed: 5))
        writer.add(name: "self_attention.proj.bias", tensor: tensor([attention], seed: 6))
        if stray {
            writer.add(name: "head.weight", tensor: tensor([4], seed: 7))
            writer.add(name: "self_attention.extra", tensor: tensor([2], seed: 8))
        }
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
        #expect(!result.error.contains("warning"), "\(result.error)")
    }

    /// The user's modules, not the weight-free default, make the map: the same render
    /// without --weights gives other pixels (exit 0 and a file alone would not tell).
    @Test func weightsChangeThePixels() throws {
        let out = VisBinary.temporaryFolder(), plain = VisBinary.temporaryFolder()
        let common = [image, "--mode", "self", "--grid", "8", "--quiet"]
        let user = try VisBinary.run(common + ["--out", out, "--weights", try Self.model(embedding: 8, attention: 8)])
        let defaults = try VisBinary.run(common + ["--out", plain])
        #expect(user.status == 0 && defaults.status == 0, "\(user.error) \(defaults.error)")
        let a = try ImageDecoder.decode(path: out + "/basn2c08_self.png")
        let b = try ImageDecoder.decode(path: plain + "/basn2c08_self.png")
        #expect(a.width == b.width && a.height == b.height)
        let differing = zip(a.uint8Samples, b.uint8Samples).filter { $0 != $1 }.count
        #expect(differing > a.uint8Samples.count / 10, "\(differing) of \(a.uint8Samples.count) samples differ")
    }

    /// Tensors no module reads are named in a warning (once per run, not per image).
    @Test func unusedTensorsAreNamed() throws {
        let out = VisBinary.temporaryFolder()
        let second = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/pngsuite/basn6a08.png")
        let result = try VisBinary.run([image, second, "--mode", "self", "--out", out, "--grid", "8", "--quiet", "--overwrite",
                                        "--weights", try Self.model(embedding: 8, attention: 8, stray: true)])
        #expect(result.status == 0, "\(result.error)")
        let warnings = result.error.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1, "\(result.error)")
        #expect(warnings.first?.contains("2 tensor(s) not used by any module: head.weight, self_attention.extra") == true,
                "\(result.error)")
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
