import Models
import Overlay

/// What one render mode supplies: its maps for a scene, and how to draw them.
///
/// The two steps are separate so that the maps of a query can be computed without drawing
/// (an interactive explorer), and so that ``RenderMode`` can ask for a band-by-band source
/// before falling back to the whole canvas with the same maps. A new mode is one file with
/// a type conforming to this protocol and a `RenderMode` constant, plus one line in
/// ``RenderMode/registered``.
public protocol ModeDefinition: Sendable {
    /// The mode's maps for one scene (tensors, profiles, boxes: no pixels).
    associatedtype Maps: Sendable

    /// Name on the command line and in the output file `<stem>_<name>.png`.
    var name: String { get }
    /// One line for `--help`.
    var summary: String { get }

    /// Whether the mode draws something for a run with this trained network (`--model`; nil:
    /// none). The default: the weight-free and `--weights` modes, which a vision transformer
    /// does not change, show without a network or with the Recurrent Attention Model.
    func shows(_ network: TrainedNetwork?) -> Bool

    /// Computes the maps of `scene` (its query, its modules: the user's or the defaults).
    func maps(of scene: AttentionScene) throws -> Maps

    /// Draws `maps` over the scene's canvas.
    func draw(_ maps: Maps, with renderer: Renderer) throws -> RGBCanvas

    /// The same picture as ``draw(_:with:)`` drawn band by band, where the mode can (the
    /// overlay then never exists whole); nil otherwise. The default is nil.
    func rowSource(_ maps: Maps, with renderer: Renderer) -> RowSource?

    /// The maps as a trained network's patch-grid maps, where they are (for the explorer's
    /// values under the pointer); nil otherwise, the default.
    func networkMaps(_ maps: Maps) -> NetworkMaps?

    /// Whether the picture tiles several canvas-sized panels (the `all` mosaic, per-head
    /// grids, patch's two panels): it is then drawn on a canvas shrunk so that the whole
    /// fits ``MosaicBounds``, whatever `--max-size`. The default is false.
    func isMosaic(_ settings: RenderSettings) -> Bool

    /// What the mode reads of a trained vision transformer's pass (``TransformerPass``):
    /// `.classToken` when only the class token's attention rows and the predictions, so that
    /// the pass carries the class token alone through the last block; `.allTokens`, the
    /// default, otherwise.
    func transformerReadout(_ settings: RenderSettings) -> VisionTransformer.Readout
}

extension ModeDefinition {
    public func rowSource(_ maps: Maps, with renderer: Renderer) -> RowSource? { nil }

    public func networkMaps(_ maps: Maps) -> NetworkMaps? { nil }

    public func shows(_ network: TrainedNetwork?) -> Bool { !(network?.isTransformer ?? false) }

    public func isMosaic(_ settings: RenderSettings) -> Bool { false }

    public func transformerReadout(_ settings: RenderSettings) -> VisionTransformer.Readout { .allTokens }
}
