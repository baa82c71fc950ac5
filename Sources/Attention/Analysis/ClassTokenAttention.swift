import TensorCore

/// Where the class token looks: its attention row over the patches in one block, the map
/// DINO's `visualize_attention.py` draws (`attentions[0, :, 0, 1:]`, one image per head).
///
/// The class token's own column and the registers' columns are left out; the values are
/// the softmax weights as they are (not renormalised over the patches), like DINO's.
///
/// **Without a class token** (average-pooling models such as timm's `global_pool='avg'`
/// with `class_token=False`) the pooled output is the mean of the patch tokens, so the map
/// is the mean over every patch query of its row over the patches — how much attention each
/// patch receives on average. This is a choice of this package, not taken from a reference.
///
/// Shape: `blocks[i]` `[B, heads, T, T]` → `[B, K, rows, columns]`, K = heads for
/// ``HeadSelection/each``, else 1.
/// Reference: Caron et al. 2021, "Emerging Properties in Self-Supervised Vision
/// Transformers" (DINO); follows facebookresearch/dino `visualize_attention.py`.
public enum ClassTokenAttention {
    /// The map of block `block` (nil: the last block).
    public static func maps(_ blocks: [Tensor], layout: TokenLayout, block: Int? = nil,
                            heads: HeadSelection = .mean) throws(AnalysisError) -> Tensor {
        let attention = try AttentionBlocks.select(blocks, index: block, layout: layout, queries: queries(layout))
        return try maps(attention, layout: layout, heads: heads)
    }

    /// The map of one block's attention `[B, heads, T, T]` (or its first rows, `[B, heads,
    /// Q, T]`, with a class token).
    public static func maps(_ attention: Tensor, layout: TokenLayout,
                            heads: HeadSelection = .mean) throws(AnalysisError) -> Tensor {
        try PatchRowMaps.maps(attention, layout: layout, queries: queries(layout), heads: heads)
    }

    /// The query rows read: the class token's, else every patch's.
    static func queries(_ layout: TokenLayout) -> [Int] {
        layout.hasClassToken ? [0] : Array(layout.prefixCount..<layout.tokenCount)
    }
}
