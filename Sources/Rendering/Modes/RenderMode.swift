import Batch
import Models
import Overlay

/// What `vis` draws over an image (Contract 4): one of ``registered``, carried as this typed
/// value from the command line through the batch to the file name.
public struct RenderMode: Sendable, Hashable, CustomStringConvertible, BatchOutput {
    /// Name on the command line and in `<stem>_<name>.png`.
    public let name: String
    /// One line for `--help`.
    public let summary: String
    private let definition: any ModeDefinition

    public init(_ definition: some ModeDefinition) {
        self.name = definition.name
        self.summary = definition.summary
        self.definition = definition
    }

    /// The registered mode called `name`, if any.
    public static func named(_ name: String) -> RenderMode? {
        registered.first { $0.name == name }
    }

    /// The names of ``registered``, in order.
    public static var names: [String] { registered.map(\.name) }

    /// The single modes (every registered mode but ``all``), in mosaic order.
    public static var panels: [RenderMode] { registered.filter { $0 != .all } }

    /// The single modes that draw something with `network` (the `all` mosaic's panels).
    public static func panels(for network: TrainedNetwork?) -> [RenderMode] {
        panels.filter { $0.shows(network) }
    }

    /// Whether this mode draws something for a run with `network` (`--model`; nil: none).
    public func shows(_ network: TrainedNetwork?) -> Bool { definition.shows(network) }

    /// What this mode reads of a trained vision transformer's pass (``ModeDefinition/transformerReadout(_:)``).
    public func transformerReadout(_ settings: RenderSettings) -> VisionTransformer.Readout {
        definition.transformerReadout(settings)
    }

    /// What a pass must carry through its last block for all of `modes`: the class token
    /// alone only when every one of them reads nothing else.
    public static func transformerReadout(_ modes: [RenderMode], settings: RenderSettings) -> VisionTransformer.Readout {
        !modes.isEmpty && modes.allSatisfy { $0.transformerReadout(settings) == .classToken } ? .classToken : .allTokens
    }

    /// Computes this mode's maps for the renderer's scene, ready to draw.
    public func prepare(_ renderer: Renderer) throws -> PreparedMode {
        try Self.prepare(definition, renderer)
    }

    /// This mode's maps of `scene` on a trained network's patch grid, where it draws those.
    public func networkMaps(of scene: AttentionScene) throws -> NetworkMaps? {
        try Self.networkMaps(definition, scene)
    }

    private static func networkMaps<D: ModeDefinition>(_ definition: D, _ scene: AttentionScene) throws -> NetworkMaps? {
        definition.networkMaps(try definition.maps(of: scene))
    }

    private static func prepare<D: ModeDefinition>(_ definition: D, _ renderer: Renderer) throws -> PreparedMode {
        let maps = try definition.maps(of: renderer.scene)
        return PreparedMode(renderer: renderer, isMosaic: definition.isMosaic(renderer.settings),
                            draw: { try definition.draw(maps, with: $0) },
                            rowSource: { definition.rowSource(maps, with: $0) })
    }

    public var description: String { name }
    public var fileSuffix: String { name }

    public static func == (a: RenderMode, b: RenderMode) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A mode's maps for one scene, to be drawn whole or band by band.
///
/// A mosaic (``ModeDefinition/isMosaic(_:)``) is drawn on a canvas shrunk so that the whole
/// picture fits ``MosaicBounds``; the same maps can also be drawn on another renderer's
/// canvas (the panels of the `all` mosaic).
public struct PreparedMode: Sendable {
    let renderer: Renderer
    let isMosaic: Bool
    let drawOn: @Sendable (Renderer) throws -> RGBCanvas
    let bandsOn: @Sendable (Renderer) -> RowSource?

    init(renderer: Renderer, isMosaic: Bool, draw: @escaping @Sendable (Renderer) throws -> RGBCanvas,
         rowSource: @escaping @Sendable (Renderer) -> RowSource?) {
        (self.renderer, self.isMosaic, drawOn, bandsOn) = (renderer, isMosaic, draw, rowSource)
    }

    /// The whole picture (a mosaic within ``MosaicBounds``).
    public func draw() throws -> RGBCanvas {
        isMosaic ? try MosaicBounds.standard.draw(with: renderer, drawOn) : try drawOn(renderer)
    }

    /// The picture drawn over `renderer`'s canvas as it is, unbounded (a panel of a mosaic
    /// that bounds the whole).
    func draw(with renderer: Renderer) throws -> RGBCanvas { try drawOn(renderer) }

    /// The picture as a band-by-band source, where the mode supports it (same pixels as
    /// ``draw()``); nil for mosaics.
    public func rowSource() -> RowSource? { isMosaic ? nil : bandsOn(renderer) }
}
