import FlyingFox
import Foundation
import Gallery
import Rendering

/// `vis explore`: a page on 127.0.0.1 where a click on an image shows where that point
/// attends, per mode and head, drawn exactly as `vis IMAGE --mode M --query X,Y` draws it.
///
/// Each image's decode and feature pass run once and are kept in a ``SceneCache`` of
/// `cacheBytes`; a click asks the kept scene about the new query. Renders run at most
/// `renders` at a time with a short queue (``WorkLimiter``). Only the images given are
/// reachable (addressed by index), only requests with `Host: 127.0.0.1:PORT` are answered.
public actor Explorer {
    /// The default scene-cache budget: 512 MiB.
    public static let defaultCacheBytes = 512 << 20

    public nonisolated let images: [ExplorerImage]
    private let server: LoopbackHTTPServer
    private let cache: SceneCache
    /// The explorer's routes, to mount inside another server (`vis view --serve` at `/explore/`).
    public nonisolated let handler: any HTTPHandler

    /// - Parameters:
    ///   - images: what the page lists, in order.
    ///   - settings: the scene settings (`--grid`, `--max-size`, `--axial-summed`); the
    ///     drawing controls come from each request.
    ///   - saveFolder: where "save PNG" writes.
    ///   - network: a trained network (`--model`): its modes, one forward pass per image kept.
    public init(images: [ExplorerImage], settings: RenderSettings, saveFolder: String,
                cacheBytes: Int = Explorer.defaultCacheBytes, renders: Int = 2, port: UInt16,
                network: TrainedNetwork? = nil) {
        self.images = images
        var settings = settings
        // Tiny inputs (a 28×28 digit) are drawn enlarged, as `vis IMAGE --model` does.
        if network != nil && settings.enlargeBelow == nil { settings.enlargeBelow = 448 }
        let cache = SceneCache(limit: cacheBytes) { [settings] index in
            let image = try SceneImage.load(path: images[index].path, settings: settings)
            let scene = try AttentionScene(image: image, settings: settings, network: network)
            // The weight-free modes read the features on every click: make them here, off the
            // request, and inside the bytes the cache counts. A network's modes do not read them.
            if network == nil { _ = scene.defaults }
            return scene
        }
        self.cache = cache
        let handler = ExplorerHandler(images: images, base: settings, cache: cache,
                                      limiter: WorkLimiter(running: renders, waiting: 2 * renders),
                                      saveFolder: saveFolder, network: network)
        self.handler = handler
        self.server = LoopbackHTTPServer(port: port, handler: handler)
    }

    /// Binds 127.0.0.1 and serves in the background; returns the address to print.
    @discardableResult
    public func start() async throws(GalleryError) -> LoopbackHTTPServer.Address {
        try await server.start()
    }

    public func stop() async { await server.stop() }

    public func waitUntilStopped() async { await server.waitUntilStopped() }

    /// Bytes the scene cache holds now (at most `cacheBytes`).
    public var cachedBytes: Int { cache.bytes }
}
