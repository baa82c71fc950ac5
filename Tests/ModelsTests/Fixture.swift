import Dispatch
import Foundation
import Testing
import TensorCore

/// Paths of the committed fixtures (made by `tools/make_vit_fixtures.py`) and of the shipped
/// model and data at the repository root.
enum Fixture {
    static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func path(_ name: String) -> String { root + "/" + name }

    /// Every float tensor of a safetensors file.
    static func tensors(_ path: String) throws -> [String: Tensor] {
        let file = try SafetensorsFile.read(path: path)
        var tensors: [String: Tensor] = [:]
        for name in file.names where file.info(name)!.dtype.isFloatingPoint { tensors[name] = try file.tensor(name) }
        return tensors
    }

    /// Runs `work` on a GCD thread, not on Swift concurrency's cooperative pool: the pool has
    /// one thread per core (two here), and a minute-long synchronous test holding one of them
    /// starves the async tests running beside it (the gallery and explorer servers' requests
    /// then time out).
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// Largest |got − ref|; infinity when the shapes differ.
func largestError(_ got: Tensor, _ expected: Tensor) -> Float {
    guard got.shape == expected.shape else { return .infinity }
    return zip(got.storage, expected.storage).map { abs($0 - $1) }.max() ?? 0
}

/// Expects |got − ref| ≤ absolute + relative·|ref| everywhere, reporting the first failure.
func expectClose(_ got: Tensor, _ expected: Tensor, absolute: Float = 1e-4, relative: Float = 1e-4,
                 _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard got.shape == expected.shape else {
        Issue.record(Comment(rawValue: "\(label): shape \(got.shape), expected \(expected.shape)"), sourceLocation: sourceLocation)
        return
    }
    if let i = expected.storage.indices.first(where: {
        !(abs(got.storage[$0] - expected.storage[$0]) <= absolute + relative * abs(expected.storage[$0]))
    }) {
        let message = "\(label): element \(i) is \(got.storage[i]), expected \(expected.storage[i]) "
            + "(largest error \(largestError(got, expected)))"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

}
