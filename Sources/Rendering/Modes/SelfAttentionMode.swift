import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// Global self-attention map of the query.
    public static let `self` = RenderMode(SelfAttentionMode())
}

/// Multi-head self-attention (Vaswani et al., 2017): the query's row of the attention
/// matrix over every cell, head mean; per-head grids with `--heads`.
struct SelfAttentionMode: ModeDefinition {
    let name = "self"
    let summary = "global self-attention map of the query"

    func maps(of scene: AttentionScene) throws -> Tensor { try scene.selfAttentionMaps() }

    /// Per-head grids are mosaics.
    func isMosaic(_ settings: RenderSettings) -> Bool { settings.heads }

    func draw(_ maps: Tensor, with renderer: Renderer) throws -> RGBCanvas {
        let scene = renderer.scene
        if renderer.settings.heads {
            return renderer.perHead(maps, labels: scene.headLabels(maps.shape[0], userModule: scene.models != nil))
        }
        var canvas = renderer.heat(Renderer.meanOfHeads(maps))
        renderer.markQuery(&canvas)
        return canvas
    }
}

/// The maps the self mode draws, computed on a scene's grid.
extension AttentionScene {
    /// Self-attention of the query cell over every cell, per head.
    ///
    /// Shape: [heads, rows, columns]; each head sums to 1. Only the query's row of the
    /// attention matrix is kept (`AttentionCapture.queries`), never all (rows·columns)².
    public func selfAttentionMaps() throws -> Tensor {
        let module = try selfAttention()
        let q = query.row * columns + query.column
        let result = try module(tokens.reshaped([1, rows * columns, dimension]), capture: .queries([q]))
        let attention = result.attention!                     // [1, heads, 1, N]
        return attention.reshaped([module.numHeads, rows, columns])
    }
}
