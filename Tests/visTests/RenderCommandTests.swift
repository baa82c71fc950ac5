import Foundation
import ImageCodecs
import Testing

/// `vis PATH...` on a folder, as the built binary: bad files reported and skipped, no
/// partial files, resume, shards.
@Suite(.serialized) struct RenderCommandTests {
    /// in/a.png, in/sub/b.png, in/sub/deeper/c.jpg(PNG bytes), in/notes.txt,
    /// in/broken.png (truncated), in/sub/fake.jpg (JPEG signature, garbage) -> 3 good, 2 bad,
    /// 1 not an image.
    static func makeFolder() throws -> String {
        let root = VisBinary.temporaryFolder()
        let input = root + "/in"
        try FileManager.default.createDirectory(atPath: input + "/sub/deeper", withIntermediateDirectories: true)
        func picture(_ seed: Int) -> Image {
            let (w, h) = (48, 32)
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h { for x in 0..<w {
                let i = (y * w + x) * 3
                let inside = (x / 12 + y / 8 + seed) % 3 == 0
                pixels[i] = inside ? 220 : 30; pixels[i + 1] = UInt8((x * 5) % 256); pixels[i + 2] = inside ? 40 : 200
            } }
            return Image(width: w, height: h, channels: 3, pixels: pixels)
        }
        try PNGEncoder.write(picture(0), to: input + "/a.png")
        try PNGEncoder.write(picture(1), to: input + "/sub/b.png")
        try PNGEncoder.write(picture(2), to: input + "/sub/deeper/c.jpg")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: input + "/notes.txt"))
        let good = try PNGEncoder.encode(picture(3))
        try Data(good.prefix(good.count / 2)).write(to: URL(fileURLWithPath: input + "/broken.png"))
        // A JPEG signature followed by garbage: recognised as JPEG, fails to decode.
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + Array("garbage, not entropy-coded data".utf8))
            .write(to: URL(fileURLWithPath: input + "/sub/fake.jpg"))
        return root
    }

    static func files(under folder: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: folder)
        return ((e?.allObjects as? [String]) ?? []).filter { !$0.hasSuffix("/") && !isFolder(folder + "/" + $0) }.sorted()
    }

    static func isFolder(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    let fast = ["--mode", "coord", "--grid", "8", "--quiet"]

    @Test func folderWithBadFiles() throws {
        let root = try Self.makeFolder()
        let run = try VisBinary.run([root + "/in", "--out", root + "/out", "--json"] + fast)
        #expect(run.status == 1, "\(run.error)")
        #expect(Self.files(under: root + "/out") == ["a_coord.png", "a_preview.jpg", "sub/b_coord.png", "sub/b_preview.jpg",
                                                          "sub/deeper/c_coord.png", "sub/deeper/c_preview.jpg"])
        #expect(run.output.contains("\"done\":3"))
        // notes.txt is neither an image nor named like one: skipped silently, counted here only.
        #expect(run.output.contains("\"failed\":2") && run.output.contains("\"not_images\":0"))
        #expect(run.output.contains("\"skipped_non_images\":1,\"skipped_non_image_files\":[\"\(root)/in/notes.txt\"]"))
        #expect(run.output.contains("broken.png") && run.output.contains("fake.jpg"))
        for file in Self.files(under: root + "/out") where file.contains("_coord") {
            let image = try ImageDecoder.decode(path: root + "/out/" + file)
            #expect(image.width > 48 && image.height > 32)       // image plus profile bars
        }
        // Resume: nothing new is rendered, the bad files are still reported.
        let again = try VisBinary.run([root + "/in", "--out", root + "/out", "--json", "--resume"] + fast)
        #expect(again.status == 1)
        #expect(again.output.contains("\"done\":0") && again.output.contains("\"skipped\":3"))
        // Without --resume or --overwrite, existing outputs are not replaced.
        let refused = try VisBinary.run([root + "/in/a.png", "--out", root + "/out"] + fast)
        #expect(refused.status == 1 && refused.error.contains("already exists"))
    }

    /// A folder like samples/: a photo, its licence and a README are skipped without a word; a
    /// text file named .png is still reported as "not an image". The summary line and --json.
    @Test func textFilesBesideThePhotosAreSkippedSilently() throws {
        let root = try Self.makeFolder()
        let input = root + "/photos"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/in/a.png", toPath: input + "/a.png")
        for name in ["SAMPLES-LICENSE.md", "README.txt", "fake.png"] {
            try Data("# not an image\n".utf8).write(to: URL(fileURLWithPath: input + "/" + name))
        }
        let text = try VisBinary.run([input, "--out", root + "/out", "--mode", "coord", "--grid", "8"])
        #expect(text.status == 0, "\(text.error)")
        let summary = text.error.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("1 done, 0 failed, 1 not an image in "), "\(text.error)")
        #expect(!text.error.contains("SAMPLES-LICENSE") && !text.error.contains("README"), "\(text.error)")
        let json = try VisBinary.run([input, "--out", root + "/out2", "--mode", "coord", "--grid", "8", "--json"])
        #expect(json.status == 0, "\(json.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["done"] as? Int == 1 && object["not_images"] as? Int == 1)
        #expect((object["not_image_files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == [input + "/fake.png"])
        #expect(object["skipped_non_images"] as? Int == 2)
        #expect(object["skipped_non_image_files"] as? [String] == [input + "/README.txt", input + "/SAMPLES-LICENSE.md"])
    }

    @Test func shardsCoverTheFolderOnce() throws {
        let root = try Self.makeFolder()
        var seen: [String] = []
        for k in 1...2 {
            let out = root + "/out\(k)"
            _ = try VisBinary.run([root + "/in", "--out", out, "--shard", "\(k)/2"] + fast)
            seen += Self.files(under: out).filter { $0.contains("_coord") }
        }
        #expect(seen.sorted() == ["a_coord.png", "sub/b_coord.png", "sub/deeper/c_coord.png"])
    }

    @Test func usageErrors() throws {
        #expect(try VisBinary.run(["samples/chelsea.png", "--mode", "sideways"]).status == 2)
        #expect(try VisBinary.run(["samples/chelsea.png", "--alpha", "2"]).status == 2)
        #expect(try VisBinary.run(["samples/chelsea.png", "--shard", "3/2"]).status == 2)
        #expect(try VisBinary.run(["samples/chelsea.png", "--query", "left"]).status == 2)
        // Sizes that used to crash the process or run for hours are refused up front.
        for (option, value) in [("--glimpses", "100000000"), ("--glimpse-size", "100000000"),
                                ("--glimpse-factor", "1e300"), ("--glimpse-scales", "1000000"), ("--model-size", "100000000")] {
            let result = try VisBinary.run(["samples/chelsea.png", "--mode", "glimpse", option, value])
            #expect(result.status == 2 && result.error.contains(option), "\(option) \(value): \(result.error)")
        }
    }
}

/// `vis view` on a rendered folder: the page lists every overlay and the preview.
@Suite struct ViewCommandTests {
    @Test func pageListsTheRenderedImages() throws {
        let root = try RenderCommandTests.makeFolder()
        _ = try VisBinary.run([root + "/in", "--out", root + "/out", "--mode", "coord", "--grid", "8", "--quiet"])
        let result = try VisBinary.run(["view", root + "/out"])
        #expect(result.status == 0, "\(result.error)")
        let html = try String(contentsOfFile: root + "/out/index.html", encoding: .utf8)
        for name in ["a_coord.png", "sub/b_coord.png", "sub/deeper/c_coord.png", "a_preview.jpg"] {
            #expect(html.contains(name), "\(name) missing from the gallery")
        }
        #expect(try VisBinary.run(["view", root + "/nothing-here"]).status == 1)
    }
}
