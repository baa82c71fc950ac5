import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gallery
import ImageCodecs
import Rendering
import Testing
@testable import Explorer

/// `vis view --serve`: the gallery with the explorer over its originals at `/explore/`; the
/// page links each image with an original to `explore/?name=KEY`.
@Suite struct GalleryExplorerMountTests {
    /// A gallery folder: chelsea's original and axial overlay in `cats/`, a stray overlay
    /// without an original.
    static func folder() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vis-mount-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("cats"), withIntermediateDirectories: true)
        let sample = ExplorerServerTests.root.appendingPathComponent("samples/chelsea.png")
        try FileManager.default.copyItem(at: sample, to: url.appendingPathComponent("cats/chelsea_original.png"))
        try FileManager.default.copyItem(at: sample, to: url.appendingPathComponent("cats/chelsea_axial.png"))
        try FileManager.default.copyItem(at: sample, to: url.appendingPathComponent("lonely_axial.png"))
        return url
    }

    @Test func explorerAnswersUnderExploreBesideTheGallery() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = try GalleryPage.generate(in: folder, modes: RenderMode.names)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<a class=\"explore\" href=\"explore/?name=cats%2Fchelsea\" hidden>explore</a>"))
        #expect(html.components(separatedBy: "class=\"explore\"").count == 2)   // not for the image without an original
        #expect(html.contains("connect-src 'self'"))

        var settings = RenderSettings()
        settings.gridLongSide = 16
        let originals = [ExplorerImage(name: "cats/chelsea", path: folder.appendingPathComponent("cats/chelsea_original.png").path)]
        let explorer = Explorer(images: originals, settings: settings, saveFolder: NSTemporaryDirectory(), port: 0)
        let server = try GalleryServer(directory: folder, port: 0, mount: ("/explore/", explorer.handler))
        let url = try await server.start().url
        do {
            let list = try await ExplorerServerTests.get(url, "/explore/api/images")
            #expect(list.status == 200)
            let names = (try JSONSerialization.jsonObject(with: list.body) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["cats/chelsea"])
            let explorerPage = try await ExplorerServerTests.get(url, "/explore/?name=cats%2Fchelsea")
            #expect(explorerPage.status == 200 && String(decoding: explorerPage.body, as: UTF8.self).contains("vis explore"))
            let map = try await ExplorerServerTests.get(url, "/explore/api/map?image=0&mode=self&x=100&y=80")
            var asked = settings
            asked.query = .pixel(x: 100, y: 80)
            let scene = try AttentionScene(image: SceneImage.load(path: originals[0].path, settings: asked), settings: asked)
            let expected = try Renderer(scene: scene).render(.self).pixels
            let same = try ImageDecoder.decode(bytes: [UInt8](map.body), name: "map").uint8Samples == expected
            #expect(map.status == 200 && same)
            // The gallery itself is unchanged beside it, and nothing outside the folder is reachable.
            #expect(try await ExplorerServerTests.get(url, "/cats/chelsea_axial.png").status == 200)
            #expect(try await ExplorerServerTests.get(url, "/explore/../../etc/passwd").status != 200)
            #expect(try await ExplorerServerTests.get(url, "/explorer").status == 404)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
