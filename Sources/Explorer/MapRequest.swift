import Attention
import Overlay
import Rendering

/// What one click asks for: an image, a mode, a query point and the drawing controls,
/// parsed from the query string of `/api/map`, `/api/values` or `/api/save` and checked
/// against the image's size. Every refusal names the parameter and the accepted range.
///
/// Parameters: `image` (index), `mode` (`self`, `axial`, `coord`), `x`, `y` (the query in
/// the original image's pixels, origin top-left, like `--query X,Y`), and optionally
/// `heads` (0/1), `colormap` (matplotlib name), `alpha` (0…1), `percentile` (`LO,HI`,
/// 0 ≤ LO < HI ≤ 100), `nearest` (0/1), `bar` (0/1, a colour bar); with a trained vision
/// transformer `layer` (a block, from 0; absent: the last), `head` (one head; absent: the
/// mean) and `token` (`cls` or `register:K`: that token's row for `self`). With the trained
/// Recurrent Attention Model, the click is the first glimpse's location.
struct MapRequest: Sendable, Equatable {
    /// The modes a click can drive with `network` (each has a query or, for coord, a gate map
    /// to show; cls and rollout are shown whatever the click).
    static func modes(for network: TrainedNetwork?) -> [RenderMode] {
        switch network {
        case nil: return [.self, .axial, .coord]
        case .visionTransformer?: return [.self, .cls, .rollout]
        case .recurrentAttention?: return [.glimpse]
        }
    }

    var image: Int
    var mode: RenderMode
    var x: Double
    var y: Double
    var heads = false
    var colormap = "jet"
    var alpha: Float = 0.5
    var percentile: (low: Double, high: Double)?
    var nearest = false
    var colorBar = false
    var layer: Int?
    var head: Int?
    var token: TokenLayout.Token?

    static func == (a: MapRequest, b: MapRequest) -> Bool {
        a.image == b.image && a.mode == b.mode && a.x == b.x && a.y == b.y && a.heads == b.heads
            && a.colormap == b.colormap && a.alpha == b.alpha && a.percentile?.low == b.percentile?.low
            && a.percentile?.high == b.percentile?.high && a.nearest == b.nearest && a.colorBar == b.colorBar
            && a.layer == b.layer && a.head == b.head && a.token == b.token
    }

    /// Parses `query` (already percent-decoded name/value pairs); `sizes` are the images'
    /// original (width, height), to check the index and the point.
    init(query: [String: String], sizes: (Int) -> (width: Int, height: Int)?, imageCount: Int,
         network: TrainedNetwork? = nil) throws(ExplorerError) {
        for name in query.keys where !["image", "mode", "x", "y", "heads", "colormap", "alpha", "percentile",
                                        "nearest", "bar", "overwrite", "layer", "head", "token"].contains(name) {
            throw .badRequest("unknown parameter '\(name)'")
        }
        guard let text = query["image"], let image = Int(text) else { throw .badRequest("parameter 'image' (an index) is missing or not a whole number") }
        guard image >= 0 && image < imageCount else { throw .notFound("image \(image) is not one of 0..<\(imageCount)") }
        self.image = image
        let modes = Self.modes(for: network)
        guard let name = query["mode"], let mode = RenderMode.named(name), modes.contains(mode) else {
            throw .badRequest("parameter 'mode' must be one of \(modes.map(\.name).joined(separator: ", ")); got '\(query["mode"] ?? "")'")
        }
        self.mode = mode
        guard let size = sizes(image) else { throw .notFound("image \(image) cannot be read") }
        x = try Self.number("x", query, in: 0, Double(size.width))
        y = try Self.number("y", query, in: 0, Double(size.height))
        heads = try Self.flag("heads", query)
        nearest = try Self.flag("nearest", query)
        colorBar = try Self.flag("bar", query)
        if let name = query["colormap"] {
            guard Colormap.named(name) != nil else {
                throw .badRequest("parameter 'colormap' must be one of \(Colormap.allNames.joined(separator: ", ")); got '\(name)'")
            }
            colormap = name
        }
        let isTransformer = network?.isTransformer ?? false
        for name in ["layer", "head", "token"] where query[name] != nil && !isTransformer {
            throw .badRequest("parameter '\(name)' needs a trained vision transformer (vis explore --model)")
        }
        if query["layer"] != nil { layer = try Self.whole("layer", query) }
        if query["head"] != nil { head = try Self.whole("head", query) }
        if let text = query["token"] {
            if text == "cls" {
                token = .classToken
            } else if text.hasPrefix("register:"), let k = Int(text.dropFirst("register:".count)), k >= 0 {
                token = .register(k)
            } else {
                throw .badRequest("parameter 'token' must be cls or register:K; got '\(text)'")
            }
        }
        if query["alpha"] != nil { alpha = Float(try Self.number("alpha", query, in: 0, 1, closed: true)) }
        if let text = query["percentile"] {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low < high, high <= 100 else {
                throw .badRequest("parameter 'percentile' must be LO,HI with 0 ≤ LO < HI ≤ 100; got '\(text)'")
            }
            percentile = (low, high)
        }
    }

    /// The render settings of the same picture from the command line:
    /// `vis IMAGE --mode M --query X,Y --colormap C --alpha A [--percentile LO,HI] [--heads] [--nearest] [--colorbar]`.
    func settings(base: RenderSettings) -> RenderSettings {
        var s = base
        s.query = .pixel(x: x, y: y)
        s.colormap = Colormap.named(colormap)!
        s.alpha = alpha
        s.normalization = percentile.map { .percentile(low: $0.low, high: $0.high) } ?? .minMax
        s.upsampling = nearest ? .nearest : .bilinear
        s.heads = heads
        s.colorBar = colorBar
        s.layer = layer.map { .block($0) } ?? .last
        s.head = head
        s.queryToken = token
        if mode == .glimpse { s.glimpseLocations = [(x, y)] }
        return s
    }

    /// A whole number ≥ 0 (its upper bound is checked against the network when drawing).
    private static func whole(_ name: String, _ query: [String: String]) throws(ExplorerError) -> Int {
        guard let text = query[name], let value = Int(text), value >= 0 else {
            throw .badRequest("parameter '\(name)' must be a whole number ≥ 0; got '\(query[name] ?? "")'")
        }
        return value
    }

    private static func number(_ name: String, _ query: [String: String], in low: Double, _ high: Double,
                               closed: Bool = false) throws(ExplorerError) -> Double {
        guard let text = query[name], let value = Double(text), value.isFinite else {
            throw .badRequest("parameter '\(name)' is missing or not a number")
        }
        let inside = closed ? (value >= low && value <= high) : (value >= low && value < high)
        guard inside else {
            throw .badRequest("parameter '\(name)' = \(text) is outside \(closed ? "[\(low), \(high)]" : "[\(low), \(high))")")
        }
        return value
    }

    private static func flag(_ name: String, _ query: [String: String]) throws(ExplorerError) -> Bool {
        switch query[name] {
        case nil, "0": return false
        case "1": return true
        case let other?: throw .badRequest("parameter '\(name)' must be 0 or 1; got '\(other)'")
        }
    }
}
