import Foundation
import ImageCodecs
import Synchronization
@testable import Batch

/// A fresh temporary folder for one test, with helpers to fill and inspect it; removed with
/// everything in it when the test lets go of it.
final class TestFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "vis-batch-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes bytes at a relative path, creating the folders on the way.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = url(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    func makeFolder(_ relative: String) {
        try! FileManager.default.createDirectory(atPath: url(relative), withIntermediateDirectories: true)
    }

    /// Every regular file under the folder (hidden ones included), relative, sorted.
    func allFiles(under relative: String = "") -> [String] {
        let root = relative.isEmpty ? path : url(relative)
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let item = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + item, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(item)
            }
        }
        return files.sorted()
    }

    func bytes(_ relative: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: url(relative)) ?? Data())
    }
}

/// Small images for the tests.
enum Samples {
    /// A PNG of `width×height` RGB with a gradient (different per `seed`).
    static func png(width: Int = 5, height: Int = 3, seed: Int = 0) -> [UInt8] {
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 * 17 + seed * 31) }
        return try! PNGEncoder.encode(Image(width: width, height: height, channels: 3, pixels: pixels))
    }

    /// A PNG cut in the middle of its image data.
    static func truncatedPNG() -> [UInt8] {
        let whole = png(width: 40, height: 30, seed: 9)
        return Array(whole.prefix(whole.count / 2))
    }

    /// A JPEG signature followed by garbage.
    static let corruptJPEG: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("this is not entropy-coded data".utf8)
}

/// The renderer the tests give the runner: decodes the input and writes, for each mode, a
/// 1×1 grey PNG holding the first sample of the image (so outputs are real, complete PNGs).
@Sendable func testRender(_ job: BatchJob<String>) throws -> [String] {
    let image = try ImageDecoder.decode(path: job.input.path)
    let first = image.uint8Samples[0]
    for path in job.outputs {
        try PNGEncoder.write(Image(width: 1, height: 1, channels: 1, pixels: [first]), to: path)
    }
    return job.outputs
}

/// Collects strings from several threads (which inputs a renderer saw).
final class Recorder: Sendable {
    private let items = Mutex<[String]>([])
    func append(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
    func clear() { items.withLock { $0.removeAll() } }
}
