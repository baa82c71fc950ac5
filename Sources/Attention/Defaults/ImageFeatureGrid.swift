import TensorCore

/// Tokens derived from the image itself on a grid of cells: what the weight-free defaults
/// feed to self, axial and coordinate attention when no model file is given.
///
/// Cell (r, c) covers pixels [r·p, (r+1)·p) × [c·p, (c+1)·p) (p = ``cellSize``); a partial
/// last row or column of pixels is dropped, as a stride-p convolution drops it. Cells are
/// numbered row-major: token n is cell (n / columns, n % columns).
///
/// ``features`` holds F = 13 values per cell (``WeightFreeDefaults/featureCount``):
/// colour (3), texture (8), position (2); ``tokens`` lays them out in
/// ``WeightFreeDefaults/dimension`` = 64 channels (see ``WeightFreeDefaults`` for the
/// layout) so that the similarity heads are exact linear maps of a token.
///
/// Shape: tokens [rows·columns, 64], saliency [rows, columns], features [rows·columns, 13].
public struct ImageFeatureGrid: Sendable {
    /// Grid rows ⌊H/p⌋ and columns ⌊W/p⌋.
    public let rows: Int, columns: Int
    /// Pixels per cell side p at the given image size.
    public let cellSize: Int
    /// The tokens, row-major cells. Shape: [rows·columns, 64].
    public var tokens: Tensor
    /// Spectral-residual saliency area-averaged over each cell, rescaled to span [0, 1].
    /// Shape: [rows, columns].
    public var saliency: Tensor
    /// The image-derived patch embedding (timm `PatchEmbed` form) whose output is the
    /// colour and texture features. Shape: weight [11, C, p, p], bias [11].
    public var embedding: PatchEmbedding
    /// The raw features before the token layout: colour (3) | texture (8) | position (2).
    /// Shape: [rows·columns, 13].
    public var features: Tensor

    /// Number of cells, rows·columns.
    public var count: Int { rows * columns }

    /// The tokens as a feature map, as axial and coordinate attention take it.
    ///
    /// Shape: [1, 64, rows, columns] (`tokens` [N, 64] transposed to [64, N]).
    public var channelsFirst: Tensor {
        let d = tokens.shape[1]
        var storage = [Float](repeating: 0, count: d * count)
        for n in 0..<count {
            for channel in 0..<d { storage[channel * count + n] = tokens.storage[n * d + channel] }
        }
        return Tensor(shape: [1, d, rows, columns], storage: storage)
    }

    /// The tokens as a batch of one sequence, as self-attention takes it.
    ///
    /// Shape: [1, rows·columns, 64].
    public var sequence: Tensor { tokens.reshaped([1, count, tokens.shape[1]]) }
}
