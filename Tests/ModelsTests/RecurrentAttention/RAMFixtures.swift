import Foundation
import ImageCodecs
import Testing
import TensorCore
@testable import Models

/// Paths of the repository's trained checkpoint and MNIST test set, and the parity cases
/// under `Fixtures/ram/` (made by `tools/make_ram_fixtures.py`).
enum RAMFixtures {
    /// The repository root, three folders above this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let modelPath = root + "/models/ram-mnist/model.safetensors"

    /// The trained model, loaded once.
    static let model: RecurrentAttentionModel = try! RecurrentAttentionModel(path: modelPath)

    /// The 10,000 MNIST test digits and labels.
    static func mnist() throws -> MNIST {
        try MNIST.load(images: root + "/data/mnist/t10k-images-idx3-ubyte.gz",
                       labels: root + "/data/mnist/t10k-labels-idx1-ubyte.gz")
    }

    /// The parity case folders, sorted.
    static var cases: [String] {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("ram")
        else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0).path }
            .filter { FileManager.default.fileExists(atPath: $0 + "/input.safetensors") }
    }

    /// Every tensor of a safetensors file by name.
    static func tensors(_ path: String) throws -> [String: Tensor] {
        let file = try SafetensorsFile.read(path: path)
        var result: [String: Tensor] = [:]
        for name in file.names { result[name] = try file.tensor(name) }
        return result
    }
}

/// Largest |got − ref| and whether every element is within absolute + relative·|ref|.
func compare(_ got: Tensor, _ expected: Tensor, absolute: Float = 1e-4, relative: Float = 1e-4)
    -> (largest: Float, within: Bool) {
    guard got.shape == expected.shape else { return (.infinity, false) }
    var largest: Float = 0, within = true
    for (g, e) in zip(got.storage, expected.storage) {
        let error = abs(g - e)
        largest = max(largest, error.isNaN ? .infinity : error)
        if !(error <= absolute + relative * abs(e)) { within = false }
    }
    return (largest, within)
}
