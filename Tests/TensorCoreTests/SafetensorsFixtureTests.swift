import Foundation
import Testing
@testable import TensorCore

/// Files written by Python's `safetensors.torch` / `safetensors.numpy`
/// (tools/make_safetensors_fixtures.py), compared with the values Python read back.
struct SafetensorsFixtureTests {
    struct Expected: Decodable {
        struct Item: Decodable {
            var dtype: String
            var shape: [Int]
            var float32_bits: [UInt32]?
            var ints: [Int64]?
        }
        var metadata: [String: String]
        var tensors: [String: Item]
        var source_float32_bits: [UInt32]?
    }

    static let expected: [String: Expected] = {
        let data = FileManager.default.contents(atPath: Fixtures.path("safetensors/values.json"))!
        return try! JSONDecoder().decode([String: Expected].self, from: data)
    }()

    @Test(arguments: ["torch_mixed.safetensors", "numpy_mixed.safetensors", "torch_rounding.safetensors"])
    func readsPythonFile(_ fileName: String) throws {
        let expected = try #require(Self.expected[fileName])
        let file = try SafetensorsFile.read(path: Fixtures.path("safetensors/" + fileName))
        #expect(file.metadata == expected.metadata)
        #expect(file.names == expected.tensors.keys.sorted())
        for (name, item) in expected.tensors {
            let info = try #require(file.info(name))
            #expect(info.dtype.rawValue == item.dtype, "\(name)")
            #expect(info.shape == item.shape, "\(name)")
            if let bits = item.float32_bits {
                let tensor = try file.tensor(name)
                #expect(tensor.shape == item.shape)
                #expect(tensor.storage.map(\.bitPattern) == bits, "\(name): \(tensor.storage)")
                #expect(throws: SafetensorsError.notInteger(file: file.fileName, name: name, dtype: info.dtype)) {
                    try file.integers(name)
                }
            } else {
                #expect(try file.integers(name) == item.ints, "\(name)")
                #expect(throws: SafetensorsError.notFloating(file: file.fileName, name: name, dtype: info.dtype)) {
                    try file.tensor(name)
                }
            }
        }
    }

    /// The writer rounds F32 to F16/BF16 exactly as torch does and lays the file out byte
    /// for byte as `safetensors.torch.save_file`.
    @Test func writerReproducesPythonBytes() throws {
        let path = Fixtures.path("safetensors/torch_rounding.safetensors")
        let python = try #require(FileManager.default.contents(atPath: path))
        let bits = try #require(Self.expected["torch_rounding.safetensors"]?.source_float32_bits)
        let source = Tensor(shape: [bits.count], storage: bits.map(Float.init(bitPattern:)))
        var writer = SafetensorsWriter(metadata: ["module": "rounding"])
        writer.add(name: "as_f16", tensor: source, dtype: .float16)
        writer.add(name: "as_bf16", tensor: source, dtype: .bfloat16)
        writer.add(name: "as_f32", tensor: source)
        let swift = writer.serialized()
        #expect(swift == [UInt8](python))
        if swift != [UInt8](python) {
            let file = try SafetensorsFile.parse(bytes: swift, name: "swift")
            let reference = try SafetensorsFile.read(path: path)
            for name in reference.names {
                #expect(try file.rawBytes(name) == reference.rawBytes(name), "\(name)")
            }
        }
    }

    @Test func missingTensorNamesFileAndTensor() throws {
        let path = Fixtures.path("safetensors/torch_mixed.safetensors")
        let file = try SafetensorsFile.read(path: path)
        #expect(!file.hasTensor("proj.bias"))
        #expect(file.info("proj.bias") == nil)
        let error = SafetensorsError.missingTensor(file: path, name: "proj.bias")
        #expect(throws: error) { try file.tensor("proj.bias") }
        #expect(error.description.contains(path) && error.description.contains("proj.bias"))
    }
}
