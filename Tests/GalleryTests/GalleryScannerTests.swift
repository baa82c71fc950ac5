import Foundation
import Rendering
import Testing
@testable import Gallery

@Suite struct GalleryScannerTests {
    @Test func groupsOutputsByImageInByteOrder() throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        // Hand-derived from GalleryFixture.standard(): sorted by folder, then stem, by UTF-8
        // bytes ('<' 0x3C < 'a' 0x61 < 'c' < 'm'); modes in GalleryMode order.
        let expected: [GalleryImage] = [
            GalleryImage(directory: "", stem: GalleryFixture.hostileAlert, original: nil,
                         outputs: [.init(mode: .axial, path: "\(GalleryFixture.hostileAlert)_axial.png")]),
            GalleryImage(directory: "", stem: GalleryFixture.hostileElement, original: nil,
                         outputs: [.init(mode: .selfAttention, path: "\(GalleryFixture.hostileElement)_self.png")]),
            GalleryImage(directory: "", stem: GalleryFixture.hostileQuotes, original: nil,
                         outputs: [.init(mode: .patch, path: "\(GalleryFixture.hostileQuotes)_patch.png")]),
            GalleryImage(directory: "", stem: "cat", original: "cat_preview.jpg",
                         outputs: [.init(mode: .axial, path: "cat_axial.png"),
                                   .init(mode: .selfAttention, path: "cat_self.png")]),
            GalleryImage(directory: "", stem: "my_dog", original: nil,
                         outputs: [.init(mode: .coordinate, path: "my_dog_coord.png")]),
            GalleryImage(directory: "birds", stem: "owl", original: nil,
                         outputs: [.init(mode: .glimpse, path: "birds/owl_glimpse.png"),
                                   .init(mode: .patch, path: "birds/owl_patch.png"),
                                   .init(mode: .all, path: "birds/owl_all.png")]),
            GalleryImage(directory: "birds/deep", stem: "wren", original: nil,
                         outputs: [.init(mode: .axial, path: "birds/deep/wren_axial.png")]),
        ]
        #expect(images == expected)
        let listed = Set(images.flatMap { $0.outputs.map(\.path) })
        #expect(listed == Set(GalleryFixture.standardOutputs))
        #expect(images[5].key == "birds/owl")
        #expect(images[3].key == "cat")
    }

    @Test func resultDoesNotDependOnCreationOrder() throws {
        let forward = try GalleryFixture()
        let backward = try GalleryFixture()
        defer { forward.remove(); backward.remove() }
        let names = ["b/z_axial.png", "a_self.png", "b/y_all.png", "a_axial.png", "B_coord.png"]
        for name in names { try forward.writePNG(name, red: 1, green: 2, blue: 3) }
        for name in names.reversed() { try backward.writePNG(name, red: 1, green: 2, blue: 3) }
        let first = try GalleryScanner(directory: forward.url, modes: RenderMode.names).scan()
        let second = try GalleryScanner(directory: backward.url, modes: RenderMode.names).scan()
        #expect(first == second)
        // 'B' (0x42) sorts before 'a' (0x61); the top level before sub-folder b.
        #expect(first.map(\.key) == ["B", "a", "b/y", "b/z"])
        #expect(first[1].outputs.map(\.mode.rawValue) == ["axial", "self"])
    }

    @Test func originalFromIndexInsideFolderOnly() throws {
        let fixture = try GalleryFixture()
        let outside = try GalleryFixture()
        defer { fixture.remove(); outside.remove() }
        try fixture.writePNG("owl_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("cat_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("sub/fox_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("sub/hen_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("sources/owl.jpg", red: 9, green: 9, blue: 9)
        try fixture.writePNG("sources/fox.png", red: 9, green: 9, blue: 9)
        try outside.writePNG("cat.png", red: 9, green: 9, blue: 9)
        let index = GalleryIndex(originals: [
            "owl": "sources/owl.jpg",                                       // relative: kept
            "sub/fox": fixture.url.appendingPathComponent("sources/fox.png").path,  // absolute inside
            "cat": outside.url.appendingPathComponent("cat.png").path,      // outside: ignored
            "sub/hen": "../\(outside.url.lastPathComponent)/cat.png",       // escapes: ignored
        ])
        try index.write(to: fixture.url)
        #expect(try GalleryIndex.load(from: fixture.url) == index)

        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        let originals: [String: String?] = Dictionary(uniqueKeysWithValues: images.map { ($0.key, $0.original) })
        let expected: [String: String?] = ["cat": nil, "owl": "sources/owl.jpg",
                                           "sub/fox": "sources/fox.png", "sub/hen": nil]
        #expect(originals == expected)
    }

    @Test func originalBesideOverlaysWinsOverIndex() throws {
        let fixture = try GalleryFixture()
        defer { fixture.remove() }
        try fixture.writePNG("cat_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("cat_original.jpg", red: 1, green: 2, blue: 3)
        try fixture.writePNG("other.png", red: 1, green: 2, blue: 3)
        try GalleryIndex(originals: ["cat": "other.png"]).write(to: fixture.url)
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        #expect(images.map(\.original) == ["cat_original.jpg"])
    }

    /// A folder rendered before and after previews holds both pictures: the preview is shown.
    @Test func previewWinsOverOlderOriginalCopies() throws {
        let fixture = try GalleryFixture()
        defer { fixture.remove() }
        try fixture.writePNG("cat_axial.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("cat_original.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("cat_original.jpeg", red: 1, green: 2, blue: 3)
        try fixture.writeJPEG("cat_preview.jpg", red: 1, green: 2, blue: 3)
        try fixture.writeJPEG("cat_preview.png", red: 1, green: 2, blue: 3)   // not a preview name
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        #expect(images.map(\.original) == ["cat_preview.jpg"])
    }

    @Test func symlinkOutsideFolderIsNotListed() throws {
        let fixture = try GalleryFixture()
        let outside = try GalleryFixture()
        defer { fixture.remove(); outside.remove() }
        try outside.writePNG("secret.png", red: 1, green: 2, blue: 3)
        try fixture.writePNG("real_axial.png", red: 1, green: 2, blue: 3)
        try fixture.symlink("leak_axial.png", to: outside.url.appendingPathComponent("secret.png").path)
        try fixture.symlink("alias_self.png", to: "real_axial.png")
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        #expect(images.map(\.key) == ["alias", "real"])
    }

    @Test func malformedIndexNamesTheFile() throws {
        let fixture = try GalleryFixture()
        defer { fixture.remove() }
        try fixture.writePNG("cat_axial.png", red: 1, green: 2, blue: 3)
        try fixture.write(".vis-index.json", Data("[1, 2]".utf8))
        let error = #expect(throws: GalleryError.self) {
            try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        }
        guard case let .malformedIndex(path, _)? = error else {
            Issue.record("expected malformedIndex, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("/.vis-index.json"))
    }

    @Test func missingFolderIsAnError() {
        let missing = URL(fileURLWithPath: "/nonexistent-gallery-\(UUID().uuidString)")
        #expect(throws: GalleryError.notADirectory(path: missing.path)) {
            try GalleryScanner(directory: missing, modes: RenderMode.names).scan()
        }
    }

    @Test(arguments: [
        ("cat_axial.png", "cat", "axial", "png"),
        ("my_big_dog_self.png", "my_big_dog", "self", "png"),
        ("a_b.c_original.jpeg", "a_b.c", "original", "jpeg"),
    ])
    func splitsAtLastUnderscoreAndDot(name: String, stem: String, suffix: String, ext: String) throws {
        let parts = try #require(GalleryScanner.split(name))
        #expect(parts.stem == stem && parts.suffix == suffix && parts.fileExtension == ext)
    }

    @Test(arguments: ["_axial.png", "noext", "plain.png", ".png"])
    func rejectsNamesWithoutStemOrSuffix(name: String) {
        #expect(GalleryScanner.split(name) == nil)
    }
}
