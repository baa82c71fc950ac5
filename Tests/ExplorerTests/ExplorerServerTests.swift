import FileSystem
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ImageCodecs
import Rendering
import Testing
@testable import Explorer

/// The explorer's server over real HTTP on 127.0.0.1: answers equal the in-process render of
/// the same scene and settings, concurrent clients get the same answers as one at a time,
/// and bad requests get a 4xx with a reason, never a crash.
@Suite struct ExplorerServerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = ["chelsea.png", "coffee.png"].map {
        ExplorerImage(name: $0, path: root.appendingPathComponent("samples/\($0)").path)
    }

    /// Runs `body` against an explorer on an ephemeral port, then stops it.
    func withExplorer(cacheBytes: Int = Explorer.defaultCacheBytes, save: String = NSTemporaryDirectory(),
                      _ body: (Explorer, URL) async throws -> Void) async throws {
        var settings = RenderSettings()
        settings.gridLongSide = 32
        let explorer = Explorer(images: Self.samples, settings: settings, saveFolder: save,
                                cacheBytes: cacheBytes, port: 0)
        let address = try await explorer.start()
        do { try await body(explorer, address.url) } catch { await explorer.stop(); throw error }
        await explorer.stop()
    }

    static func get(_ url: URL, _ path: String, method: String = "GET") async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    /// The picture a map request returns equals the same scene rendered in-process (the
    /// command line's path: `SceneImage.load`, `AttentionScene`, `Renderer.render`).
    @Test func mapEqualsTheRendererForThatQuery() async throws {
        try await withExplorer { _, url in
            let (status, body) = try await Self.get(url, "/api/map?image=1&mode=axial&x=120&y=200&colormap=viridis&alpha=0.7&percentile=1,99")
            #expect(status == 200)
            let served = try ImageDecoder.decode(bytes: [UInt8](body), name: "served")
            var settings = RenderSettings()
            settings.gridLongSide = 32
            settings.query = .pixel(x: 120, y: 200)
            settings.colormap = .viridis
            settings.alpha = 0.7
            settings.normalization = .percentile(low: 1, high: 99)
            let scene = try AttentionScene(image: try SceneImage.load(path: Self.samples[1].path, settings: settings), settings: settings)
            let expected = try Renderer(scene: scene).render(.axial)
            #expect(served.width == expected.width && served.height == expected.height)
            let same = served.uint8Samples == expected.pixels   // a Bool: #expect would diff the arrays
            #expect(same)
        }
    }

    @Test func concurrentClientsGetTheSameAnswersAsOneAtATime() async throws {
        try await withExplorer { _, url in
            let queries = (0..<8).map { i in
                "/api/map?image=\(i % 2)&mode=\(["self", "axial", "coord"][i % 3])&x=\(20 + 37 * i)&y=\(15 + 23 * i)&heads=\(i % 2)"
            }
            var alone: [Data] = []
            for q in queries { alone.append(try await Self.get(url, q).body) }
            // Three rounds of all eight at once; the limiter lets 2 run and 4 wait, so some
            // may be told 503 (busy): those are asked again, and every answer must match.
            for _ in 0..<3 {
                let together = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                    for (i, q) in queries.enumerated() {
                        group.addTask {
                            for _ in 0..<50 {
                                let (status, body) = try await Self.get(url, q)
                                if status != 503 { return (i, body) }
                                try await Task.sleep(for: .milliseconds(20))
                            }
                            return (i, Data())
                        }
                    }
                    var result = [Data](repeating: Data(), count: queries.count)
                    for try await (i, body) in group { result[i] = body }
                    return result
                }
                let same = together == alone
                #expect(same)
            }
        }
    }

    @Test(arguments: [
        ("/api/map?image=0&mode=self&x=451&y=10", 400, "'x' = 451 is outside"),
        ("/api/map?image=0&mode=self&x=-1&y=10", 400, "'x' = -1 is outside"),
        ("/api/map?image=0&mode=self&x=nan&y=10", 400, "'x' is missing or not a number"),
        ("/api/map?image=0&mode=self&x=1", 400, "'y' is missing"),
        ("/api/map?image=2&mode=self&x=1&y=1", 404, "image 2 is not one of 0..<2"),
        ("/api/map?image=-1&mode=self&x=1&y=1", 404, "image -1"),
        ("/api/map?image=..%2F..%2Fetc%2Fpasswd&mode=self&x=1&y=1", 400, "'image' (an index)"),
        ("/api/map?image=0&mode=glimpse&x=1&y=1", 400, "'mode' must be one of self, axial, coord"),
        ("/api/map?image=0&mode=self&x=1&y=1&alpha=2", 400, "'alpha' = 2 is outside"),
        ("/api/map?image=0&mode=self&x=1&y=1&percentile=99,1", 400, "'percentile' must be LO,HI"),
        ("/api/map?image=0&mode=self&x=1&y=1&colormap=rainbow", 400, "'colormap' must be one of"),
        ("/api/map?image=0&mode=self&x=1&y=1&heads=yes", 400, "'heads' must be 0 or 1"),
        ("/api/map?image=0&image=1&mode=self&x=1&y=1", 400, "'image' is given twice"),
        ("/api/map?image=0&mode=self&x=1&y=1&path=/etc/passwd", 400, "unknown parameter 'path'"),
        ("/../../etc/passwd", 404, "no such page"),
        ("/%2e%2e/%2e%2e/etc/passwd", 404, "no such page"),
        ("/samples/chelsea.png", 404, "no such page"),
    ])
    func badRequestsGetAReason(path: String, status: Int, reason: String) async throws {
        try await withExplorer { _, url in
            let (got, body) = try await Self.get(url, path)
            let text = String(decoding: body, as: UTF8.self)
            #expect(got == status, "\(path): \(got) \(text)")
            #expect(text.contains(reason), "\(path): \(text)")
        }
    }

    @Test func postOnlyForSaveAndSaveAsksBeforeReplacing() async throws {
        let folder = NSTemporaryDirectory() + "vis-explore-save-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withExplorer(save: folder) { _, url in
            let post = try await Self.get(url, "/api/map?image=0&mode=self&x=1&y=1", method: "POST")
            #expect(post.status == 405)
            let query = "/api/save?image=0&mode=coord&x=10.5&y=20"
            let first = try await Self.get(url, query, method: "POST")
            #expect(first.status == 200)
            let path = folder + "/chelsea_coord_x10_y20.png"
            let saved = try ImageDecoder.decode(path: path)
            let shown = try ImageDecoder.decode(bytes: [UInt8](try await Self.get(url, "/api/map?image=0&mode=coord&x=10.5&y=20").body), name: "map")
            let savedIsShown = saved.uint8Samples == shown.uint8Samples
            #expect(savedIsShown)
            // A second save of the same view is refused (409) until the page says overwrite=1.
            try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
            let again = try await Self.get(url, query, method: "POST")
            #expect(again.status == 409)
            #expect(String(decoding: again.body, as: UTF8.self).contains("exists"))
            let kept = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(kept == Data("mine".utf8))
            let overwritten = try await Self.get(url, query + "&overwrite=1", method: "POST")
            #expect(overwritten.status == 200)
            let replaced = try ImageDecoder.decode(path: path).uint8Samples == shown.uint8Samples
            #expect(replaced)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(AtomicFile.temporaryMarker) }
            #expect(leftovers.isEmpty)
        }
    }

    /// The cache never holds more than its budget: with room for either scene but not both,
    /// asking for the other image evicts the first.
    @Test func sceneCacheStaysWithinItsBudget() async throws {
        var settings = RenderSettings()
        settings.gridLongSide = 32
        // A weight-free scene as the explorer keeps it: its features made while it is prepared.
        let sizes = try Self.samples.map {
            let scene = try AttentionScene(image: try SceneImage.load(path: $0.path, settings: settings), settings: settings)
            _ = scene.defaults
            return SceneCache.size(of: scene)
        }
        let budget = sizes.max()! + 1000
        #expect(budget < sizes[0] + sizes[1])
        try await withExplorer(cacheBytes: budget) { explorer, url in
            let info0 = try await Self.get(url, "/api/info?image=0")
            #expect(info0.status == 200)
            #expect(await explorer.cachedBytes == sizes[0])
            let info1 = try await Self.get(url, "/api/info?image=1")
            #expect(info1.status == 200)
            #expect(await explorer.cachedBytes == sizes[1])
        }
    }
}
