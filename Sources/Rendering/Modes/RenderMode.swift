import Batch
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
        return PreparedMode(draw: { try definition.draw(maps, with: renderer) },
                            rowSource: { definition.rowSource(maps, with: renderer) })
    }

    public var description: String { name }
    public var fileSuffix: String { name }

    public static func == (a: RenderMode, b: RenderMode) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A mode's maps for one scene, to be drawn whole or band by band.
public struct PreparedMode: Sendable {
    let drawWhole: @Sendable () throws -> RGBCanvas
    let bands: @Sendable () -> RowSource?

    init(draw: @escaping @Sendable () throws -> RGBCanvas, rowSource: @escaping @Sendable () -> RowSource?) {
        (drawWhole, bands) = (draw, rowSource)
    }

    /// The whole picture.
    public func draw() throws -> RGBCanvas { try drawWhole() }

    /// The picture as a band-by-band source, where the mode supports it (same pixels as ``draw()``).
    public func rowSource() -> RowSource? { bands() }
}
