import Attention
import FileSystem
import FlyingFox
import Foundation
import ImageCodecs
import Rendering
import TensorCore

/// The explorer's routes (`Host` already checked by `LoopbackHTTPServer`):
///
/// - `GET /`: the page; `GET /api/images`: `[{"index", "name"}]`;
/// - `GET /api/info?image=I`: the original size, the picture's size and the grid;
/// - `GET /api/picture?image=I`: the image as drawn under the maps (PNG);
/// - `GET /api/map?…`: the picture `vis` renders for that query (PNG, ``MapRequest``);
/// - `GET /api/values?…`: the map under the picture (mean over heads) as JSON, for the
///   values under the pointer;
/// - `POST /api/save?…[&overwrite=1]`: writes the current view as a PNG into the save
///   folder through `vis`'s own atomic writer; 409 when the file exists and `overwrite` is
///   not 1 (the page asks first).
///
/// Malformed or out-of-range requests get 4xx with a one-line reason, a full queue 503.
struct ExplorerHandler: HTTPHandler {
    let images: [ExplorerImage]
    let base: RenderSettings
    let cache: SceneCache
    let limiter: WorkLimiter
    let saveFolder: String
    /// The trained network (`--model`), or nil for the weight-free modes.
    let network: TrainedNetwork?

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await route(request)
        } catch let error as ExplorerError {
            return Self.text(error.status, error.message + "\n")
        } catch let error as AnalysisError {
            return Self.text(400, "\(error)\n")          // a block, head or token the network does not have
        } catch let error as RenderError {
            return Self.text(400, "\(error)\n")
        } catch {
            return Self.text(500, "\(error)\n")
        }
    }

    private func route(_ request: HTTPRequest) async throws -> HTTPResponse {
        let isPost = request.method == .POST
        guard request.method == .GET || (isPost && request.path == "/api/save") else {
            throw ExplorerError(status: 405, message: "\(request.method.rawValue) is not served on \(request.path)")
        }
        switch request.path {
        case "/", "/index.html":
            return HTTPResponse(statusCode: .ok, headers: Self.headers("text/html; charset=utf-8"),
                                body: Data(ExplorerPage.html.utf8))
        case "/api/images":
            let list = images.enumerated().map { ["index": $0.offset, "name": $0.element.name] as [String: Any] }
            return try Self.json(list)
        case "/api/info":
            let index = try imageIndex(try Self.parameters(request))
            let scene = try await limiter.run { try await cache.scene(index) }
            let (width, height) = Self.originalSize(scene)
            var info: [String: Any] = ["image": index, "name": images[index].name, "width": width, "height": height,
                                       "pictureWidth": scene.image.canvas.width, "pictureHeight": scene.image.canvas.height,
                                       "rows": scene.rows, "columns": scene.columns,
                                       "modes": MapRequest.modes(for: network).map(\.name)]
            if let pass = scene.transformer {
                info["network"] = ["kind": "vision transformer", "blocks": pass.attention.count,
                                   "heads": pass.attention.first?.shape[1] ?? 0, "registers": pass.layout.registerCount,
                                   "classToken": pass.layout.hasClassToken, "rows": pass.layout.rows,
                                   "columns": pass.layout.columns,
                                   "predictions": pass.predictions.map { ["index": $0.index, "name": $0.name ?? "class \($0.index)",
                                                                          "probability": Double($0.probability)] }]
            } else if network != nil {
                info["network"] = ["kind": "recurrent attention model"]
            }
            return try Self.json(info)
        case "/api/picture":
            let index = try imageIndex(try Self.parameters(request))
            let scene = try await limiter.run { try await cache.scene(index) }
            let canvas = scene.image.canvas
            return Self.png(try PNGEncoder.encode(Image(width: canvas.width, height: canvas.height, channels: 3,
                                                        pixels: canvas.pixels), level: PNGEncoder.fastLevel), [:])
        case "/api/map", "/api/values", "/api/save":
            let query = try Self.parameters(request)
            let index = try imageIndex(query)
            let scene = try await limiter.run { try await cache.scene(index) }
            let map = try MapRequest(query: query, sizes: { _ in Self.originalSize(scene) }, imageCount: images.count,
                                     network: network)
            let asked = scene.asking(map.settings(base: base))
            if request.path == "/api/values" {
                return try await limiter.run { try await onWorkerThread { try values(asked, map) } }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let canvas = try await limiter.run { try await onWorkerThread { try Renderer(scene: asked).render(map.mode) } }
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let picture = Image(width: canvas.width, height: canvas.height, channels: 3, pixels: canvas.pixels)
            if request.path == "/api/save" { return try save(picture, map, overwrite: query["overwrite"] == "1") }
            return Self.png(try PNGEncoder.encode(picture, level: PNGEncoder.fastLevel), [
                "X-Vis-Query-Cell": "\(asked.query.row),\(asked.query.column)",
                "X-Vis-Render-Ms": String(format: "%.2f", milliseconds),
            ])
        default:
            throw ExplorerError.notFound("no such page: \(request.path)")
        }
    }

    /// The map behind the picture, one value per grid cell (mean over heads), row-major; on a
    /// trained transformer's patch grid for its modes; none for the learned glimpses.
    private func values(_ scene: AttentionScene, _ map: MapRequest) throws -> HTTPResponse {
        if map.mode == .glimpse { return try Self.json(["rows": 0, "columns": 0, "values": [Double]()]) }
        if let pass = scene.transformer {
            var single = scene.settings
            single.heads = false
            let maps = try map.mode.networkMaps(of: scene.asking(single))
            guard case .single(let grid) = maps?.panels else { throw ExplorerError.badRequest("no single map for \(map.mode.name)") }
            let query = maps?.query ?? (-1, -1)
            return try Self.json(["rows": pass.layout.rows, "columns": pass.layout.columns, "queryRow": query.row,
                                  "queryColumn": query.column, "values": grid.storage.map(Double.init)])
        }
        let grid: Tensor
        switch map.mode {
        case .axial: grid = try scene.axialMaps().effective.mean(axis: 0)
        case .coord: grid = try scene.coordinateMaps().gate
        default: grid = try scene.selfAttentionMaps().mean(axis: 0)
        }
        return try Self.json(["rows": scene.rows, "columns": scene.columns, "queryRow": scene.query.row,
                              "queryColumn": scene.query.column, "values": grid.storage.map(Double.init)])
    }

    /// Writes `<save>/<stem>_<mode>_x<X>_y<Y>[_heads][_block<B>][_head<H>][_cls|_register<K>].png`
    /// atomically; 409 when it exists
    /// and `overwrite` is false.
    private func save(_ picture: Image, _ map: MapRequest, overwrite: Bool) throws -> HTTPResponse {
        let stem = ((images[map.image].name as NSString).lastPathComponent as NSString).deletingPathExtension
        var controls = map.heads ? "_heads" : ""
        if let layer = map.layer { controls += "_block\(layer)" }
        if let head = map.head { controls += "_head\(head)" }
        switch map.token {
        case .classToken?: controls += "_cls"
        case .register(let k)?: controls += "_register\(k)"
        default: break
        }
        let name = "\(stem)_\(map.mode.name)_x\(Int(map.x))_y\(Int(map.y))\(controls).png"
        let path = (saveFolder as NSString).appendingPathComponent(name)
        if !overwrite && FileStatus.exists(path) {
            return try Self.json(["exists": path], status: 409)
        }
        try Folder.make(saveFolder)
        try PNGEncoder.write(picture, to: path, level: PNGEncoder.fastLevel)
        return try Self.json(["saved": path])
    }

    private func imageIndex(_ query: [String: String]) throws(ExplorerError) -> Int {
        guard let text = query["image"], let index = Int(text) else {
            throw .badRequest("parameter 'image' (an index) is missing or not a whole number")
        }
        guard index >= 0 && index < images.count else { throw .notFound("image \(index) is not one of 0..<\(images.count)") }
        return index
    }

    /// The original image's size, from the picture and its scale.
    static func originalSize(_ scene: AttentionScene) -> (width: Int, height: Int) {
        (Int((Double(scene.image.canvas.width) / scene.image.scale).rounded()),
         Int((Double(scene.image.canvas.height) / scene.image.scale).rounded()))
    }

    /// Query parameters by name; a name given twice is refused.
    static func parameters(_ request: HTTPRequest) throws(ExplorerError) -> [String: String] {
        var result: [String: String] = [:]
        for item in request.query {
            guard result[item.name] == nil else { throw .badRequest("parameter '\(item.name)' is given twice") }
            result[item.name] = item.value
        }
        return result
    }

    static func headers(_ type: String) -> HTTPHeaders {
        [.contentType: type, HTTPHeader("X-Content-Type-Options"): "nosniff", .cacheControl: "no-store"]
    }

    static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status == 503 ? "Service Unavailable" : "Error"),
                     headers: headers("text/plain; charset=utf-8"), body: Data(text.utf8))
    }

    static func json(_ object: Any, status: Int = 200) throws -> HTTPResponse {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status == 200 ? "OK" : "Conflict"),
                            headers: headers("application/json"), body: data)
    }

    static func png(_ bytes: [UInt8], _ extra: [String: String]) -> HTTPResponse {
        var all = headers("image/png")
        for (name, value) in extra { all[HTTPHeader(name)] = value }
        return HTTPResponse(statusCode: .ok, headers: all, body: Data(bytes))
    }
}
