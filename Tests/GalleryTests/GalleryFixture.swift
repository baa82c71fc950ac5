import Foundation
import ImageCodecs

/// A temporary gallery folder for one test, removed by `remove()`.
///
/// `standard()` holds the layout the tests rely on:
/// ```
/// cat_axial.png cat_self.png cat_preview.jpg       top-level image "cat" with its preview (a JPEG)
/// my_dog_coord.png                                 stem with an underscore: image "my_dog"
/// birds/owl_glimpse.png birds/owl_patch.png birds/owl_all.png
/// birds/deep/wren_axial.png                        a second level
/// <img src=x onerror=alert(1)>_axial.png           hostile names (see hostile* below)
/// <img src=x onerror=document.body.appendChild(document.createElement('pwned'))>_self.png
/// a"b&c'd_patch.png
/// notes.txt cat_unknown.png _axial.png .hidden_axial.png   not outputs
/// ```
struct GalleryFixture {
    let url: URL

    static let hostileAlert = "<img src=x onerror=alert(1)>"
    static let hostileElement =
        "<img src=x onerror=document.body.appendChild(document.createElement('pwned'))>"
    static let hostileQuotes = "a\"b&c'd"

    /// Every overlay of `standard()`, relative to the folder.
    static let standardOutputs: [String] = [
        "cat_axial.png", "cat_self.png", "my_dog_coord.png",
        "birds/owl_glimpse.png", "birds/owl_patch.png", "birds/owl_all.png",
        "birds/deep/wren_axial.png",
        "\(hostileAlert)_axial.png", "\(hostileElement)_self.png", "\(hostileQuotes)_patch.png",
    ]

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        url = base.appendingPathComponent("gallery-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    static func standard() throws -> GalleryFixture {
        let fixture = try GalleryFixture()
        for (index, path) in standardOutputs.enumerated() {
            let shade = UInt8(40 + 20 * index)
            try fixture.writePNG(path, red: shade, green: 255 - shade, blue: 128)
        }
        try fixture.writeJPEG("cat_preview.jpg", red: 200, green: 160, blue: 90)
        try fixture.write("notes.txt", Data("not an output\n".utf8))
        try fixture.writePNG("cat_unknown.png", red: 0, green: 0, blue: 0)
        try fixture.writePNG("_axial.png", red: 0, green: 0, blue: 0)
        try fixture.writePNG(".hidden_axial.png", red: 0, green: 0, blue: 0)
        return fixture
    }

    func writePNG(_ path: String, red: UInt8, green: UInt8, blue: UInt8) throws {
        try write(path, TinyPNG.solid(width: 16, height: 12, red: red, green: green, blue: blue))
    }

    /// A 16×12 solid JPEG through vis's own encoder (what `vis` writes as `<stem>_preview.jpg`).
    func writeJPEG(_ path: String, red: UInt8, green: UInt8, blue: UInt8) throws {
        let pixels = [UInt8]((0..<(16 * 12)).flatMap { _ in [red, green, blue] })
        try write(path, Data(try JPEGEncoder.encode(Image(width: 16, height: 12, channels: 3, pixels: pixels))))
    }

    func write(_ path: String, _ data: Data) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try data.write(to: file)
    }

    func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(path).path,
                                                   withDestinationPath: target)
    }

    func read(_ path: String) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(path))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
