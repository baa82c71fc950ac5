import Foundation
import ImageCodecs
import Rendering
import Testing
@testable import Explorer

/// `vis explore --model`: the trained MNIST ViT's blocks, heads and tokens, and the trained
/// RAM's first glimpse, over real HTTP; each picture equals the in-process render of the same
/// settings (the command line's path), and what the network lacks is a 400 with a reason.
@Suite struct ExplorerNetworkTests {
    static let root = ExplorerServerTests.root
    static let digits = ["mnist_0000_7.png", "mnist_0001_2.png"].map {
        ExplorerImage(name: $0, path: root.appendingPathComponent("samples/digits/\($0)").path)
    }

    func withExplorer(_ model: String, _ body: (URL, TrainedNetwork) async throws -> Void) async throws {
        let network = try TrainedNetwork(path: Self.root.appendingPathComponent(model).path)
        let explorer = Explorer(images: Self.digits, settings: RenderSettings(), saveFolder: NSTemporaryDirectory(),
                                port: 0, network: network)
        let address = try await explorer.start()
        do { try await body(address.url, network) } catch { await explorer.stop(); throw error }
        await explorer.stop()
    }

    static func render(_ mode: RenderMode, image: Int, network: TrainedNetwork, _ change: (inout RenderSettings) -> Void) throws -> [UInt8] {
        var settings = RenderSettings()
        settings.enlargeBelow = 448
        change(&settings)
        let scene = try AttentionScene(image: SceneImage.load(path: digits[image].path, settings: settings),
                                       settings: settings, network: network)
        return try Renderer(scene: scene).render(mode).pixels
    }

    static func pixels(_ body: Data) throws -> [UInt8] {
        try ImageDecoder.decode(bytes: [UInt8](body), name: "served").uint8Samples
    }

    @Test func blocksHeadsAndTokensOfTheTransformer() async throws {
        try await withExplorer("models/vit-mnist") { url, network in
            let info = try JSONSerialization.jsonObject(with: try await ExplorerServerTests.get(url, "/api/info?image=0").body) as! [String: Any]
            #expect(info["modes"] as? [String] == ["self", "cls", "rollout"])
            let net = try #require(info["network"] as? [String: Any])
            #expect(net["blocks"] as? Int == 5 && net["heads"] as? Int == 7 && net["registers"] as? Int == 0)

            let (status, body) = try await ExplorerServerTests.get(url, "/api/map?image=0&mode=cls&x=3&y=3&layer=2&head=3")
            #expect(status == 200)
            let expected = try Self.render(.cls, image: 0, network: network) { $0.layer = .block(2); $0.head = 3 }
            let same = try Self.pixels(body) == expected
            #expect(same)
            // The class token as the query of `self` is the cls map (same picture, no patch marked).
            let tokenSelf = try await ExplorerServerTests.get(url, "/api/map?image=1&mode=self&x=20&y=3&token=cls")
            let cls = try await ExplorerServerTests.get(url, "/api/map?image=1&mode=cls&x=0&y=0")
            #expect(tokenSelf.status == 200 && tokenSelf.body == cls.body)
            // Two clicks on different patches draw different maps; each is the CLI's --query.
            let a = try await ExplorerServerTests.get(url, "/api/map?image=1&mode=self&x=3&y=3&layer=0")
            let b = try await ExplorerServerTests.get(url, "/api/map?image=1&mode=self&x=24&y=24&layer=0")
            let expectedB = try Self.render(.self, image: 1, network: network) { $0.layer = .block(0); $0.query = .pixel(x: 24, y: 24) }
            #expect(a.body != b.body)
            let sameB = try Self.pixels(b.body) == expectedB
            #expect(sameB)
            let values = try JSONSerialization.jsonObject(with: try await ExplorerServerTests.get(
                url, "/api/values?image=1&mode=self&x=24&y=24&layer=0").body) as! [String: Any]
            #expect(values["rows"] as? Int == 4 && (values["values"] as? [Double])?.count == 16 && values["queryRow"] as? Int == 3)
        }
    }

    @Test(arguments: [("/api/map?image=0&mode=cls&x=1&y=1&layer=5", "block 5"),
                      ("/api/map?image=0&mode=cls&x=1&y=1&head=7", "head 7"),
                      ("/api/map?image=0&mode=self&x=1&y=1&token=register:0", "register"),
                      ("/api/map?image=0&mode=axial&x=1&y=1", "mode"),
                      ("/api/map?image=0&mode=cls&x=1&y=1&layer=-1", "layer")])
    func whatTheNetworkLacksIsABadRequest(path: String, reason: String) async throws {
        try await withExplorer("models/vit-mnist") { url, _ in
            let (status, body) = try await ExplorerServerTests.get(url, path)
            let text = String(decoding: body, as: UTF8.self)
            #expect(status == 400 && text.contains(reason), "\(path): \(status) \(text)")
        }
    }

    /// The RAM: a click places the first glimpse; the picture is `--glimpse-at X,Y`'s.
    @Test func clickPlacesTheFirstGlimpse() async throws {
        try await withExplorer("models/ram-mnist/model.safetensors") { url, network in
            let corner = try await ExplorerServerTests.get(url, "/api/map?image=0&mode=glimpse&x=2&y=2")
            let centre = try await ExplorerServerTests.get(url, "/api/map?image=0&mode=glimpse&x=14&y=14")
            #expect(corner.status == 200 && centre.status == 200 && corner.body != centre.body)
            let expected = try Self.render(.glimpse, image: 0, network: network) { $0.glimpseLocations = [(2, 2)] }
            let same = try Self.pixels(corner.body) == expected
            #expect(same)
            let (status, _) = try await ExplorerServerTests.get(url, "/api/map?image=0&mode=glimpse&x=2&y=2&layer=1")
            #expect(status == 400)
        }
    }
}
