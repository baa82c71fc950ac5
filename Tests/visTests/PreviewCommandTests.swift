import Foundation
import ImageCodecs
import Testing

/// `vis IMAGE`'s preview (`<stem>_preview.jpg`, the picture at the rendered size, for the
/// gallery) and the size options, through the built binary.
@Suite(.serialized) struct PreviewCommandTests {
    /// A `width × height` PNG of coloured blocks in a fresh folder; returns (folder, path).
    static func picture(width: Int, height: Int) throws -> (String, String) {
        let root = VisBinary.temporaryFolder()
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            let (x, y) = (i % width, i / width)
            pixels[3 * i] = (x / 40 + y / 40) % 2 == 0 ? 210 : 40
            pixels[3 * i + 1] = UInt8(x * 255 / width)
            pixels[3 * i + 2] = UInt8(y * 255 / height)
        }
        try PNGEncoder.write(Image(width: width, height: height, channels: 3, pixels: pixels), to: root + "/photo.png")
        return (root, root + "/photo.png")
    }

    static func size(_ path: String) throws -> [Int] {
        let info = try ImageDecoder.probe(path: path)
        return [info.width, info.height]
    }

    static func temporaries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".vis-tmp-") }
    }

    /// Runs a test's blocking body (child processes, waited for) on a thread of its own, so it
    /// never holds one of the few threads of the Swift concurrency pool that the suites
    /// serving HTTP meanwhile (Gallery, Explorer) need to answer.
    static func offPool(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { done.resume(with: Result { try body() }) }
        }
    }

    /// The preview is a JPEG at the canvas size (300×200 capped to 120: 120×80), left
    /// complete with no temporary; an incomplete one (cut before EOI) is redone by the next
    /// run, a complete one is kept unless `--overwrite`.
    @Test func previewAtRenderedSizeWrittenAtomically() async throws {
        try await Self.offPool { try Self.previewAtRenderedSize(fast: ["--grid", "8", "--quiet"]) }
    }

    static func previewAtRenderedSize(fast: [String]) throws {
        let (root, input) = try Self.picture(width: 300, height: 200)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/out", preview = root + "/out/photo_preview.jpg"
        let first = try VisBinary.run([input, "--out", out, "--mode", "self", "--max-size", "120"] + fast)
        #expect(first.status == 0, "\(first.error)")
        #expect(try Self.size(out + "/photo_self.png") == [120, 80])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: preview))
        #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF] && Array(bytes.suffix(2)) == [0xFF, 0xD9])
        let decoded = try ImageDecoder.decode(path: preview)
        #expect(decoded.width == 120 && decoded.height == 80 && decoded.channels == 3)
        #expect(!FileManager.default.fileExists(atPath: out + "/photo_original.png"))
        #expect(Self.temporaries(out).isEmpty)

        // Cut off mid-scan: redone.
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: preview))
        let second = try VisBinary.run([input, "--out", out, "--mode", "coord", "--max-size", "120"] + fast)
        #expect(second.status == 0, "\(second.error)")
        #expect(try Self.size(preview) == [120, 80])
        #expect(try ImageDecoder.decode(path: preview).width == 120)

        // Complete: kept (a 10×10 JPEG stands in), replaced with --overwrite.
        try JPEGEncoder.write(Image(width: 10, height: 10, channels: 3, pixels: [UInt8](repeating: 7, count: 300)), to: preview)
        #expect(try VisBinary.run([input, "--out", out, "--mode", "axial", "--max-size", "120"] + fast).status == 0)
        #expect(try Self.size(preview) == [10, 10])
        #expect(try VisBinary.run([input, "--out", out, "--mode", "axial", "--max-size", "120", "--overwrite"] + fast).status == 0)
        #expect(try Self.size(preview) == [120, 80])
        #expect(Self.temporaries(out).isEmpty)

        // --resume redoes an image whose preview is missing, keeping its complete overlay.
        try FileManager.default.removeItem(atPath: preview)
        let overlay = try Data(contentsOf: URL(fileURLWithPath: out + "/photo_axial.png"))
        let resumed = try VisBinary.run([input, "--out", out, "--mode", "axial", "--max-size", "120", "--resume", "--json"] + fast)
        #expect(resumed.status == 0 && resumed.output.contains("\"done\":1"), "\(resumed.output) \(resumed.error)")
        #expect(try Self.size(preview) == [120, 80])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/photo_axial.png")) == overlay)
        let skipped = try VisBinary.run([input, "--out", out, "--mode", "axial", "--max-size", "120", "--resume", "--json"] + fast)
        #expect(skipped.output.contains("\"skipped\":1"), "\(skipped.output)")
    }

    /// 2100×90 (past the cap, small enough to stay quick): the default cap gives 2048×88
    /// (90·2048/2100 = 87.8), `--max-size 0` the whole picture; a cap under 16 other than 0 is
    /// refused before anything is written.
    @Test func defaultCapAndFullSize() async throws {
        try await Self.offPool { try Self.capAndFullSize(fast: ["--grid", "8", "--quiet"]) }
    }

    static func capAndFullSize(fast: [String]) throws {
        let (root, input) = try Self.picture(width: 2100, height: 90)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let capped = try VisBinary.run([input, "--out", root + "/capped", "--mode", "self"] + fast)
        #expect(capped.status == 0, "\(capped.error)")
        #expect(try Self.size(root + "/capped/photo_self.png") == [2048, 88])
        #expect(try Self.size(root + "/capped/photo_preview.jpg") == [2048, 88])
        let full = try VisBinary.run([input, "--out", root + "/full", "--mode", "self", "--max-size", "0"] + fast)
        #expect(full.status == 0, "\(full.error)")
        #expect(try Self.size(root + "/full/photo_self.png") == [2100, 90])
        #expect(try Self.size(root + "/full/photo_preview.jpg") == [2100, 90])
        let refused = try VisBinary.run([input, "--out", root + "/refused", "--mode", "self", "--max-size", "8"] + fast)
        #expect(refused.status != 0)
        #expect(refused.error.contains("--max-size must be 0 (full size) or at least 16; got 8."), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: root + "/refused"))
    }
}
