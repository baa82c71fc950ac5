import Foundation
import Testing
import TensorCore
@testable import Attention

/// One PyTorch parity case: `Fixtures/<module>/<case>/` with `model.safetensors`,
/// `input.safetensors`, `expected.safetensors` (and `expected_xw.safetensors` for glimpses).
struct ParityFixture: Sendable, CustomTestStringConvertible {
    var module: String
    var name: String
    var directory: String

    var testDescription: String { "\(module)/\(name)" }

    /// The case folders of one module (sorted), found in the test bundle's resources.
    static func cases(of module: String) -> [ParityFixture] {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        let folder = root.appendingPathComponent(module)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            let directory = folder.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: directory + "/model.safetensors") else { return nil }
            return ParityFixture(module: module, name: name, directory: directory)
        }
    }

    func path(_ file: String) -> String { directory + "/" + file }

    func weights() throws -> WeightSet { try WeightSet(path: path("model.safetensors")) }

    func tensors(_ file: String) throws -> [String: Tensor] {
        let contents = try SafetensorsFile.read(path: path(file))
        var result: [String: Tensor] = [:]
        for name in contents.names { result[name] = try contents.tensor(name) }
        return result
    }
}
