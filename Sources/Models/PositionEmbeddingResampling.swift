import TensorCore

/// How a checkpoint's grid of learned position embeddings is resized to another token grid.
///
/// Both kinds are separable: each axis is resampled by a list of (source index, weight)
/// per output index, columns first, then rows, as PyTorch's kernels do.
/// - ``antialiasedBicubic``: `F.interpolate(mode='bicubic', antialias=True, align_corners=False)`,
///   what timm's `resample_abs_pos_embed` calls (and transformers' `dinov2_with_registers`):
///   PyTorch's antialiased kernel is Pillow's: the cubic with a = −0.5, its support widened by
///   the scale s = in/out when shrinking (s > 1: support 2s, argument divided by s), sampled at
///   the source pixels inside the support around the centre s·(i + ½), weights normalised to
///   sum 1 (no clamping at the borders: the weights there are renormalised).
/// - ``bicubic``: `F.interpolate(mode='bicubic', align_corners=False)` without antialiasing,
///   what transformers' ViT, DeiT and DINOv2 `interpolate_pos_encoding` call: Keys' cubic with
///   a = −0.75 on the 4 neighbours of the source coordinate s·(i + ½) − ½, indices clamped
///   to the border.
/// Resampling a grid to its own size is the identity for both.
///
/// Shape: grid [rows·columns, D] (row-major tokens) -> [newRows·newColumns, D].
public enum PositionEmbeddingResampling: String, Sendable {
    case antialiasedBicubic
    case bicubic

    /// The grid resampled from `from` to `to` (rows, columns).
    public func resample(_ grid: Tensor, from: (rows: Int, columns: Int), to: (rows: Int, columns: Int)) -> Tensor {
        let d = grid.shape[1]
        precondition(grid.rank == 2 && grid.shape[0] == from.rows * from.columns,
                     "position grid must be [\(from.rows)·\(from.columns), D], got \(grid.shape)")
        if from == to { return grid }
        let columnTaps = taps(input: from.columns, output: to.columns)
        let rowTaps = taps(input: from.rows, output: to.rows)
        // Columns: [rows, columns, D] -> [rows, newColumns, D].
        var wide = [Float](repeating: 0, count: from.rows * to.columns * d)
        for r in 0..<from.rows {
            for (c, list) in columnTaps.enumerated() {
                let target = (r * to.columns + c) * d
                for (index, weight) in list {
                    let source = (r * from.columns + index) * d
                    for k in 0..<d { wide[target + k] += weight * grid.storage[source + k] }
                }
            }
        }
        // Rows: [rows, newColumns, D] -> [newRows, newColumns, D].
        var out = [Float](repeating: 0, count: to.rows * to.columns * d)
        for (r, list) in rowTaps.enumerated() {
            for c in 0..<to.columns {
                let target = (r * to.columns + c) * d
                for (index, weight) in list {
                    let source = (index * to.columns + c) * d
                    for k in 0..<d { out[target + k] += weight * wide[source + k] }
                }
            }
        }
        return Tensor(shape: [to.rows * to.columns, d], storage: out)
    }

    /// Per output index, the source indices and weights along one axis.
    func taps(input: Int, output: Int) -> [[(index: Int, weight: Float)]] {
        let scale = Float(input) / Float(output)
        switch self {
        case .antialiasedBicubic:
            // PyTorch `_compute_weights_aa` (UpSample.h) with interp_size 4, in float.
            let support: Float = scale >= 1 ? 2 * scale : 2
            let inverse: Float = scale >= 1 ? 1 / scale : 1
            return (0..<output).map { i in
                let centre = scale * (Float(i) + 0.5)
                let low = max(Int(centre - support + 0.5), 0)
                let count = min(Int(centre + support + 0.5), input) - low
                var list = (0..<max(count, 0)).map { j in
                    (index: low + j, weight: Self.pillowCubic((Float(j + low) - centre + 0.5) * inverse))
                }
                let total = list.reduce(Float(0)) { $0 + $1.weight }
                if total != 0 { for j in list.indices { list[j].weight /= total } }
                return list
            }
        case .bicubic:
            // PyTorch `upsample_bicubic2d` (UpSampleKernel.cpp), align_corners=False, A = −0.75.
            return (0..<output).map { i in
                let real = scale * (Float(i) + 0.5) - 0.5
                let floorReal = real.rounded(.down)
                let t = real - floorReal
                let base = Int(floorReal)
                let weights = Self.keysCubic(t)
                return (0..<4).map { j in (index: min(max(base - 1 + j, 0), input - 1), weight: weights[j]) }
            }
        }
    }

    /// Pillow's bicubic filter, a = −0.5 (PyTorch `aa_filter` for bicubic).
    static func pillowCubic(_ value: Float) -> Float {
        let a: Float = -0.5
        let x = abs(value)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// The four weights of Keys' cubic convolution, A = −0.75, for fractional offset t.
    static func keysCubic(_ t: Float) -> [Float] {
        let a: Float = -0.75
        func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return [far(t + 1), near(t), near(1 - t), far(2 - t)]
    }
}
