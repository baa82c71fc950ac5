import TensorCore

/// Attention rollout: how much each patch contributes to the class token after all blocks,
/// following the attention through the residual connections.
///
/// Per block, the heads' weights are fused into one `T × T` matrix A (``HeadFusion``:
/// mean, max or min over heads); with a discard ratio r the `⌊T²·r⌋` smallest entries of A
/// are set to 0, except entry (0, 0) (class token to itself) when there is a class token;
/// then Â = ½·A + ½·I with each row divided by its own sum, and the blocks are multiplied,
/// later blocks on the left: R = Â_L ··· Â_1. The map is the class token's row of R over
/// the patches (without a class token: the mean of the patch rows of R over the patches).
/// Registers take part in the product like any token but are never drawn.
///
/// This is jacobgil/vit-explain `vit_rollout.py::rollout` (the code most people use, with
/// its `head_fusion` and `discard_ratio`) with two corrections:
/// - vit-explain divides by `a.sum(dim=-1)` without `keepdim`, which broadcasts the row
///   sums over the last axis: column j is divided by the sum of row j. Here each row is
///   divided by its own sum, as the paper says. (With mean fusion and no discard the rows
///   of Â already sum to 1 and both agree; with max/min fusion or a discard they differ.)
/// - vit-explain's discard zeroes entries in batch item 0 only (`flat[0, indices]`, with
///   the union of every item's indices); here each batch item discards its own entries.
/// Entries tied at the discard boundary are taken in index order (`torch.topk` leaves the
/// order unspecified). vit-explain finally divides the map by its maximum; this returns
/// the map unscaled and leaves normalisation to the renderer.
///
/// Only the one row of R that is drawn is computed, as a vector times the blocks from the
/// last to the first (uᵀ·Â_L···Â_1 = ((uᵀ·Â_L)·Â_{L−1})···), so the cost is O(L·T²)
/// rather than O(L·T³). Arithmetic in Float64.
///
/// Shape: `blocks[i]` `[B, heads, T, T]` (all blocks the same shape) → `[B, rows, columns]`.
/// Reference: Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"
/// (arXiv:2005.00928); follows jacobgil/vit-explain `vit_rollout.py`, corrected as above.
public struct AttentionRollout: Sendable, Equatable {
    /// How the heads of a block are fused into one matrix (vit-explain's `head_fusion`).
    public enum HeadFusion: String, Sendable, Equatable, CaseIterable {
        case mean, max, min
    }

    public var headFusion: HeadFusion
    /// Fraction of the smallest fused weights set to 0 in every block, in [0, 1]
    /// (vit-explain's `discard_ratio`; its default is 0.9, the paper uses 0).
    public var discardRatio: Double

    public init(headFusion: HeadFusion = .mean, discardRatio: Double = 0) {
        self.headFusion = headFusion
        self.discardRatio = discardRatio
    }

    /// The rollout map of every batch item.
    public func callAsFunction(_ blocks: [Tensor], layout: TokenLayout) throws(AnalysisError) -> Tensor {
        guard (0...1).contains(discardRatio) else { throw .discardRatio(discardRatio) }
        try AttentionBlocks.validate(blocks, layout: layout)
        let (batch, tokens) = (blocks[0].shape[0], layout.tokenCount)
        let (prefix, patches) = (layout.prefixCount, layout.patchCount)
        var out = [Float](repeating: 0, count: batch * patches)
        for b in 0..<batch {
            // u: the row of R that is drawn, as a selector over R's rows
            var u = [Double](repeating: 0, count: tokens)
            if layout.hasClassToken {
                u[0] = 1
            } else {
                for i in prefix..<tokens { u[i] = 1 / Double(patches) }
            }
            for block in blocks.reversed() {
                let a = normalizedBlock(block, item: b, protectFirst: layout.hasClassToken)
                // uᵀ ← uᵀ·Â  ([T] × [T, T] -> [T])
                var next = [Double](repeating: 0, count: tokens)
                for i in 0..<tokens where u[i] != 0 {
                    let ui = u[i]
                    for j in 0..<tokens { next[j] += ui * a[i * tokens + j] }
                }
                u = next
            }
            for j in 0..<patches { out[b * patches + j] = Float(u[prefix + j]) }
        }
        return Tensor(shape: [batch, layout.rows, layout.columns], storage: out)
    }

    /// Â of one block and batch item: heads fused, the smallest entries discarded,
    /// ½·A + ½·I, rows divided by their sums.
    ///
    /// Shape: `block` `[B, heads, T, T]` → `[T·T]` row-major.
    func normalizedBlock(_ block: Tensor, item b: Int, protectFirst: Bool) -> [Double] {
        let (heads, tokens) = (block.shape[1], block.shape[2])
        let plane = tokens * tokens
        // [B, heads, T, T] -> [T, T] fused over heads
        var a = [Double](repeating: 0, count: plane)
        for h in 0..<heads {
            let base = (b * heads + h) * plane
            for n in 0..<plane {
                let w = Double(block.storage[base + n])
                switch headFusion {
                case .mean: a[n] += w
                case .max: a[n] = h == 0 ? w : Swift.max(a[n], w)
                case .min: a[n] = h == 0 ? w : Swift.min(a[n], w)
                }
            }
        }
        if headFusion == .mean { for n in 0..<plane { a[n] /= Double(heads) } }
        // vit-explain: int(T·T·ratio) lowest entries of the flattened matrix, minus index 0
        let discard = Int(Double(plane) * discardRatio)
        if discard > 0 {
            // The k smallest by (value, index): every entry below the k-th smallest value,
            // then the first entries (by index) equal to it until k are taken.
            let kth = a.sorted()[discard - 1]
            var equalTaken = discard - a.reduce(0) { $1 < kth ? $0 + 1 : $0 }
            for n in 0..<plane {
                let taken: Bool
                if a[n] < kth {
                    taken = true
                } else if a[n] == kth && equalTaken > 0 {
                    equalTaken -= 1
                    taken = true
                } else {
                    taken = false
                }
                if taken && !(protectFirst && n == 0) { a[n] = 0 }
            }
        }
        for i in 0..<tokens {
            a[i * tokens + i] += 1
            var sum = 0.0
            for j in 0..<tokens { sum += a[i * tokens + j] }
            // (A + I)/2 divided by its row sum: the ½ cancels
            for j in 0..<tokens { a[i * tokens + j] /= sum }
        }
        return a
    }
}
