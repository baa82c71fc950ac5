import Foundation
import Rendering
import TensorCore
import Testing

/// `--weights`: every module the file holds is built once, and the tensors no module read
/// are named.
@Suite struct LoadedModulesTests {
    static func tensor(_ shape: [Int], seed: Int) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, storage: (0..<n).map { Float(sin(Double($0 * 7 + seed))) * 0.3 })
    }

    static func write(_ writer: SafetensorsWriter) throws -> String {
        let path = NSTemporaryDirectory() + "vis-loaded-\(UUID().uuidString).safetensors"
        try writer.write(to: path)
        return path
    }

    /// Several modules under their Contract 1 prefixes, a tensor of no module, and a stray
    /// tensor inside a module: the two strays are unused, by their names in the file.
    @Test func strayTensorsAreNamed() throws {
        var writer = SafetensorsWriter(metadata: ["self_attention.num_heads": "2"])
        writer.add(name: "self_attention.qkv.weight", tensor: Self.tensor([24, 8], seed: 1))
        writer.add(name: "self_attention.qkv.bias", tensor: Self.tensor([24], seed: 2))
        writer.add(name: "self_attention.proj.weight", tensor: Self.tensor([8, 8], seed: 3))
        writer.add(name: "self_attention.proj.bias", tensor: Self.tensor([8], seed: 4))
        writer.add(name: "self_attention.extra.weight", tensor: Self.tensor([2], seed: 5))
        writer.add(name: "head.weight", tensor: Self.tensor([3], seed: 6))
        let path = try Self.write(writer)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let models = LoadedModules(weights: try ModelWeights(path: path))
        #expect(models.unusedNames == ["head.weight", "self_attention.extra.weight"])
        let attention = try #require(try models.selfAttention?.get())
        #expect(attention.numHeads == 2 && attention.dimension == 8)
        #expect(models.patchEmbedding == nil && models.axialAttention == nil && models.coordinateAttention == nil)
    }

    /// A one-module file (module in the metadata, names at the top level): all read, none unused.
    @Test func oneModuleFileReadInFull() throws {
        var writer = SafetensorsWriter(metadata: ["module": "self_attention", "num_heads": "4"])
        writer.add(name: "qkv.weight", tensor: Self.tensor([24, 8], seed: 1))
        writer.add(name: "proj.weight", tensor: Self.tensor([8, 8], seed: 3))
        writer.add(name: "proj.bias", tensor: Self.tensor([8], seed: 4))
        let path = try Self.write(writer)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let models = LoadedModules(weights: try ModelWeights(path: path))
        #expect(models.unusedNames == [])
        #expect(try models.selfAttention?.get().numHeads == 4)
    }

    /// A module that fails to load keeps its error for the renders that need it.
    @Test func brokenModuleKeepsItsError() throws {
        var writer = SafetensorsWriter(metadata: ["module": "self_attention", "num_heads": "2"])
        writer.add(name: "qkv.weight", tensor: Self.tensor([24, 8], seed: 1))
        let path = try Self.write(writer)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let models = LoadedModules(weights: try ModelWeights(path: path))
        #expect(throws: (any Error).self) { try models.selfAttention?.get() }
    }
}
