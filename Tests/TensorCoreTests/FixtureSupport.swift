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
