import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// Global self-attention map of the query.
    public static let `self` = RenderMode(SelfAttentionMode())
}

/// Multi-head self-attention (Vaswani et al., 2017): the query's row of the attention
/// matrix over every cell, head mean; per-head grids with `--heads`. With a trained vision
/// transformer (`--model`): the query patch's row over the patches in the last block
/// (`--layer N|all`, `--head K`), or the class token's or a register's (`--query cls`,
/// `--query register:K`), as ``QueryAttention``.
struct SelfAttentionMode: ModeDefinition {
    let name = "self"
    let summary = "global self-attention map of the query (a trained ViT's with --model)"

    func shows(_ network: TrainedNetwork?) -> Bool { true }

    /// Per-head grids are mosaics.
    func isMosaic(_ settings: RenderSettings) -> Bool { settings.heads || settings.layer == .all }

    enum Maps: Sendable {
        /// [heads, rows, columns] on the weight-free grid (or the `--weights` module's).
        case module(Tensor)
        case network(NetworkMaps)
    }

    func maps(of scene: AttentionScene) throws -> Maps {
        guard let pass = scene.transformer else { return .module(try scene.selfAttentionMaps()) }
        let query = scene.transformerQuery(pass)
        let token = scene.settings.queryToken ?? .patch(row: query.row, column: query.column)
        let marked = scene.settings.queryToken == nil ? query : nil
        return .network(try NetworkMaps.of(pass, settings: scene.settings, query: marked) { block, heads in
            try QueryAttention.maps(pass.attention, layout: pass.layout, query: token, block: block, heads: heads)
        })
    }

    func networkMaps(_ maps: Maps) -> NetworkMaps? {
        if case .network(let network) = maps { return network }
        return nil
    }

    func draw(_ selfMaps: Maps, with renderer: Renderer) throws -> RGBCanvas {
        let maps: Tensor
        switch selfMaps {
        case .network(let network): return renderer.draw(network)
        case .module(let module): maps = module
        }
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
        let cell = query   // computed: read once
        let q = cell.row * columns + cell.column
        let result = try module(tokens.reshaped([1, rows * columns, dimension]), capture: .queries([q]))
        let attention = result.attention!                     // [1, heads, 1, N]
        return attention.reshaped([module.numHeads, rows, columns])
    }
}
