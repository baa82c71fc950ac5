import Attention
import Overlay
import TensorCore

/// What a trained vision transformer's mode draws: one map, one map per head, or every
/// block's heads (the layer-by-head grid), on the network's patch grid, with the query cell
/// to mark and the predictions for the caption.
///
/// Shape: single [rows, columns]; heads [heads, rows, columns]; layers: one
/// [heads, rows, columns] per block.
public struct NetworkMaps: Sendable {
    public enum Panels: Sendable {
        case single(Tensor)
        case heads(Tensor)
        case layers([Tensor])
    }

    public var panels: Panels
    /// The patch a `self` map was asked about, on the network's grid.
    public var query: (row: Int, column: Int)?
    public var predictions: [ClassPrediction]
    public var rows: Int, columns: Int
    /// The network's pass, for the part of the canvas it saw (``TransformerPass/seen(in:)``).
    public var pass: TransformerPass

    /// The maps `perBlock` computes for the blocks `settings.layer` names: every block with
    /// every head for `.all`, else one block, per head with `settings.heads` or the mean.
    ///
    /// `perBlock(block, heads)` returns `[1, K, rows, columns]` for block `block` (nil: last).
    static func of(_ pass: TransformerPass, settings: RenderSettings, query: (row: Int, column: Int)? = nil,
                   perBlock: (Int?, HeadSelection) throws -> Tensor) throws -> NetworkMaps {
        let (rows, columns) = (pass.layout.rows, pass.layout.columns)
        let panels: Panels
        switch settings.layer {
        case .all:
            panels = .layers(try pass.attention.indices.map { block in
                let maps = try perBlock(block, .each)
                return maps.reshaped(Array(maps.shape.dropFirst()))
            })
        case .last, .block:
            let block = pass.block(settings.layer)
            if settings.heads {
                let maps = try perBlock(block, .each)
                panels = .heads(maps.reshaped(Array(maps.shape.dropFirst())))
            } else {
                let selection = settings.head.map { HeadSelection.head($0) } ?? .mean
                panels = .single(try perBlock(block, selection).reshaped([rows, columns]))
            }
        }
        return NetworkMaps(panels: panels, query: query, predictions: pass.predictions, rows: rows, columns: columns,
                           pass: pass)
    }
}

extension AttentionScene {
    /// The trained vision transformer's pass over this image.
    ///
    /// - Throws: ``RenderError/needsNetwork(mode:kind:)`` when no transformer was given.
    public func transformerPass(for mode: String) throws -> TransformerPass {
        guard let transformer else { throw RenderError.needsNetwork(mode: mode, kind: TrainedNetwork.transformerKind) }
        return transformer
    }

    /// The query on the transformer's patch grid: the patch under `--query X,Y`, or under the
    /// centre of the most salient weight-free cell for `auto`.
    func transformerQuery(_ pass: TransformerPass) -> (row: Int, column: Int) {
        let x: Int, y: Int
        switch settings.query {
        case let .pixel(px, py): (x, y) = (Int(px * image.scale), Int(py * image.scale))
        case .auto:
            let cell = query   // computed: read once
            (x, y) = image.canvasCenter(row: cell.row, column: cell.column)
        }
        return pass.cell(canvasX: x, canvasY: y)
    }
}
