import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// Effective 2-D attention of the query through the row and column passes.
    public static let axial = RenderMode(AxialMode())
}

/// Axial attention (Ho et al., 2019): the query's effective map, with the height-pass and
/// width-pass weights as profile bars; per-head grids with `--heads`.
struct AxialMode: ModeDefinition {
    let name = "axial"
    let summary = "effective 2-D attention of the query through the row and column passes"

    func maps(of scene: AttentionScene) throws -> AttentionScene.AxialMaps { try scene.axialMaps() }

    /// Per-head grids are mosaics.
    func isMosaic(_ settings: RenderSettings) -> Bool { settings.heads }

    func draw(_ maps: AttentionScene.AxialMaps, with renderer: Renderer) throws -> RGBCanvas {
        let scene = renderer.scene
        if renderer.settings.heads {
            return renderer.perHead(maps.effective, labels: scene.headLabels(maps.effective.shape[0], userModule: scene.models != nil))
        }
        // Row weights along the top, column weights along the left edge.
        return renderer.heatWithBars(Renderer.meanOfHeads(maps.effective), marksQuery: true, rowProfile: maps.columnWeights,
                                     columnProfile: maps.rowWeights)
    }

    func rowSource(_ maps: AttentionScene.AxialMaps, with renderer: Renderer) -> RowSource? {
        guard !renderer.settings.colorBar, !renderer.settings.heads else { return nil }
        return renderer.barsSource(Renderer.meanOfHeads(maps.effective), marksQuery: true, rowProfile: maps.columnWeights,
                                   columnProfile: maps.rowWeights)
    }
}

/// The maps the axial mode draws, computed on a scene's grid.
extension AttentionScene {
    /// Axial maps of the query cell.
    public struct AxialMaps: Sendable {
        /// Effective 2-D attention per head. Shape: [heads, rows, columns].
        public var effective: Tensor
        /// Height-pass weights of the query over its column (head mean). Shape: [rows].
        public var columnWeights: [Float]
        /// Width-pass weights of the query over its row (head mean). Shape: [columns].
        public var rowWeights: [Float]
        public var summed: Bool
    }

    /// Effective 2-D attention of the query through the height pass and the width pass.
    ///
    /// Summed (`sum_axial_out`): the query's output is attn_h(x) + attn_w(x), so its map is
    /// its height weights down its column plus its width weights along its row, halved so
    /// the map sums to 1. Sequential (attn_w ∘ attn_h): the query (y0, x0) mixes the
    /// height-pass outputs of its row, each of which mixes its own column, so cell (y, x)
    /// gets w_w(y0,x0 → x) · w_h(y0,x → y): per head, attention rollout through the two
    /// passes. Only the queries of the query's row are captured.
    public func axialMaps() throws -> AxialMaps {
        try AxialMaps(module: axialAttention(), featureMap: featureMap, query: query)
    }
}

extension AttentionScene.AxialMaps {
    /// The maps of the query cell `query` of `featureMap` through `module` (see
    /// ``AttentionScene/axialMaps()``).
    ///
    /// Shape: featureMap [1, C, rows, columns] -> effective [heads, rows, columns].
    public init(module: AxialAttention, featureMap: Tensor, query: (row: Int, column: Int)) throws {
        let (rows, columns) = (featureMap.shape[2], featureMap.shape[3])
        let (y0, x0) = query
        let rowQueries = (0..<columns).map { y0 * columns + $0 }
        let result = try module(featureMap, capture: .queries(rowQueries))
        let heads = module.heads
        let height = result.heightAttention!                  // [1, heads, columns(queries), rows]
        let width = result.widthAttention!                    // [1, heads, columns(queries), columns]
        var effective = Tensor(shape: [heads, rows, columns])
        var columnWeights = [Float](repeating: 0, count: rows)
        var rowWeights = [Float](repeating: 0, count: columns)
        for h in 0..<heads {
            for y in 0..<rows { columnWeights[y] += height[0, h, x0, y] / Float(heads) }
            for x in 0..<columns { rowWeights[x] += width[0, h, x0, x] / Float(heads) }
            if module.sumAxialOut {
                for y in 0..<rows { effective[h, y, x0] += height[0, h, x0, y] / 2 }
                for x in 0..<columns { effective[h, y0, x] += width[0, h, x0, x] / 2 }
            } else {
                for x in 0..<columns {
                    let wx = width[0, h, x0, x]
                    for y in 0..<rows { effective[h, y, x] = wx * height[0, h, x, y] }
                }
            }
        }
        self.init(effective: effective, columnWeights: columnWeights, rowWeights: rowWeights,
                  summed: module.sumAxialOut)
    }
}
