import FileSystem
import Foundation

/// The optional file `<OUT>/.vis-index.json` through which `vis` can tell the gallery where each
/// image's original picture is, when it did not copy it beside the overlays.
///
/// Format (UTF-8 JSON, unknown keys ignored):
/// ```json
/// { "originals": { "birds/owl": "birds/owl.jpg", "cat": "/abs/path/inside/OUT/cat.png" } }
/// ```
/// Each key is an image's `GalleryImage.key` (`<subdir>/<stem>`, or `<stem>` at the top level);
/// each value is the original's path, relative to OUT or absolute. The gallery only shows an
/// original that exists and whose real path lies inside OUT (the server serves nothing else);
/// entries that point elsewhere are ignored, so a page never links a file it cannot serve.
public struct GalleryIndex: Codable, Sendable, Equatable {
    /// The index's file name inside the gallery folder.
    public static let fileName = ".vis-index.json"

    /// Image key → original picture path.
    public var originals: [String: String]

    public init(originals: [String: String]) {
        self.originals = originals
    }

    /// The largest index read (a path per image: far below this for any real folder).
    static let maximumBytes = 64 << 20

    /// Reads `<directory>/.vis-index.json` (at most ``maximumBytes``); an empty index when the
    /// file does not exist.
    public static func load(from directory: URL) throws(GalleryError) -> GalleryIndex {
        let file = directory.appendingPathComponent(fileName)
        guard FileKind.of(file.path) != .missing else {
            return GalleryIndex(originals: [:])
        }
        let data: Data
        do {
            data = Data(try WholeFile.read(path: file.path, limit: maximumBytes))
        } catch {
            throw .malformedIndex(path: file.path, reason: "unreadable: \(error.message)")
        }
        do {
            return try JSONDecoder().decode(GalleryIndex.self, from: data)
        } catch {
            throw .malformedIndex(path: file.path,
                                  reason: "expected {\"originals\": {key: path}}: \(error)")
        }
    }

    /// Writes the index into `directory` atomically (temporary file, then rename), keys sorted.
    public func write(to directory: URL) throws(GalleryError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .writeFailed(path: directory.appendingPathComponent(Self.fileName).path,
                               reason: "\(error)")
        }
        try GalleryFile.write(data, to: directory.appendingPathComponent(Self.fileName))
    }
}
