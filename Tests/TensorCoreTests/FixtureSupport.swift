import Foundation
import TensorCore

/// Paths and readers for the committed fixtures (made by the scripts under `tools/`).
enum Fixtures {
    /// `Fixtures/<relative>` inside the test bundle.
    static func path(_ relative: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A fresh empty temporary directory for one test.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "tensorcore-tests-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Creates or replaces a file (test setup; failure is a broken test machine).
    static func write(_ contents: some DataProtocol, to path: String) {
        precondition(FileManager.default.createFile(atPath: path, contents: Data(contents)), "cannot create \(path)")
    }

    /// Largest |a − b| over two equally long arrays (infinite when the lengths differ).
    static func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}

/// The PyTorch reference cases of `Fixtures/ops.json` (tools/make_tensor_fixtures.py).
enum OperationFixtures {
    struct Packed: Decodable {
        var shape: [Int]
        var data: [Double]
        var tensor: Tensor { Tensor(shape: shape, storage: data.map { Float($0) }) }
    }

    struct Case: Decodable {
        var inputs: [String: Packed]
        var output: Packed
        func input(_ name: String) -> Tensor { inputs[name]!.tensor }
        var expected: Tensor { output.tensor }
    }

    static let cases: [String: Case] = {
        let data = FileManager.default.contents(atPath: Fixtures.path("ops.json"))!
        return try! JSONDecoder().decode([String: Case].self, from: data)
    }()

    static func named(_ name: String) -> Case {
        guard let found = cases[name] else { preconditionFailure("ops.json has no case '\(name)'") }
        return found
    }
}

/// Whether `got` matches `expected` in shape and to |got − ref| ≤ absolute + relative·|ref|.
func isClose(_ got: Tensor, _ expected: Tensor, absolute: Float = 1e-5, relative: Float = 1e-5) -> Bool {
    got.shape == expected.shape && zip(got.storage, expected.storage).allSatisfy { g, r in
        abs(g - r) <= absolute + relative * abs(r)
    }
}
