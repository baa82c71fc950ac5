import Foundation

/// Paths and JSON of the committed fixtures (made by tools/make_codec_fixtures.py).
enum Fixtures {
    static let root: String = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func json(_ name: String) -> [String: [String: Any]] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: path(name)))
        return try! JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
    }

    static func files(in folder: String, where keep: (String) -> Bool) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(folder))) ?? []).filter(keep).sorted()
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryFolder() -> String {
        let dir = NSTemporaryDirectory() + "vis-codec-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
