import Foundation
import Testing
import TensorCore
@testable import Attention

/// Model files whose weights hold NaN or ±Inf are refused while loading, naming the tensor,
/// the count and the first position; F16 and BF16 infinities count too.
@Suite struct WeightSetFiniteTests {
    static func file(_ add: (inout SafetensorsWriter) -> Void) throws -> SafetensorsFile {
        var writer = SafetensorsWriter(metadata: ["module": "self_attention", "num_heads": "1"])
        add(&writer)
        return try SafetensorsFile.parse(bytes: writer.serialized(), name: "weights.safetensors")
    }

    func failure(_ file: SafetensorsFile, prefix: String = "") -> SafetensorsError? {
        do { _ = try WeightSet(file: file, prefix: prefix) } catch { return error }
        return nil
    }

    @Test func nanIsReportedWithItsPosition() throws {
        var values = [Float](repeating: 0.5, count: 12)
        values[7] = .nan
        values[9] = .nan
        let file = try Self.file { $0.add(name: "qkv.weight", tensor: Tensor(shape: [3, 4], storage: values)) }
        let error = failure(file)
        #expect(error == .nonFiniteValue(file: "weights.safetensors", tensor: "qkv.weight", count: 2, firstIndex: [1, 3], value: "nan"))
        #expect(error?.description == "Safetensors file 'weights.safetensors' holds 2 non-finite values in tensor 'qkv.weight' (the first, nan, at index [1, 3]); weights must be finite.")
    }

    @Test func infinitiesInReducedPrecision() throws {
        // 70000 overflows F16 (max 65504) to +inf; -1e39 overflows nothing in BF16, so use -inf.
        let f16 = try Self.file { $0.add(name: "proj.bias", tensor: Tensor(shape: [2], storage: [1, 70_000]), dtype: .float16) }
        #expect(failure(f16) == .nonFiniteValue(file: "weights.safetensors", tensor: "proj.bias", count: 1, firstIndex: [1], value: "inf"))
        let bf16 = try Self.file { $0.add(name: "proj.weight", tensor: Tensor(shape: [1, 1], storage: [-.infinity]), dtype: .bfloat16) }
        #expect(failure(bf16) == .nonFiniteValue(file: "weights.safetensors", tensor: "proj.weight", count: 1, firstIndex: [0, 0], value: "-inf"))
    }

    /// Only the tensors that are loaded are checked: a NaN outside the chosen prefix, or in
    /// an integer bookkeeping tensor, does not stop the load.
    @Test func onlyLoadedTensorsAreChecked() throws {
        let file = try Self.file {
            $0.add(name: "head.weight", tensor: Tensor(shape: [1], storage: [.nan]))
            $0.add(name: "block.proj.bias", tensor: Tensor(shape: [2], storage: [1, 2]))
            $0.add(name: "block.bn1.num_batches_tracked", int64: [7], shape: [])
        }
        let weights = try WeightSet(file: file, prefix: "block")
        #expect(weights.names == ["proj.bias"])
        #expect(failure(file) != nil)
    }

    @Test func finiteExtremesAreAccepted() throws {
        let file = try Self.file {
            $0.add(name: "proj.weight", tensor: Tensor(shape: [4], storage: [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0]))
        }
        #expect(try WeightSet(file: file).tensors["proj.weight"]?.storage.count == 4)
    }
}
