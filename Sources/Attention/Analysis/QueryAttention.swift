import TensorCore

/// Where one token attends: the row of a query token (a patch, the class token or a
/// register) over the patches in one block — the `self` mode with `--query` on a trained
/// model.
///
/// The class token's and registers' columns are left out; values are the softmax weights
/// as they are. A patch query's own cell is included (it usually holds a large weight;
/// the renderer may clip it with percentiles).
///
/// Shape: `blocks[i]` `[B, heads, T, T]` → `[B, K, rows, columns]`, K = heads for
/// ``HeadSelection/each``, else 1.
public enum QueryAttention {
    /// The map of `query` in block `block` (nil: the last block).
    public static func maps(_ blocks: [Tensor], layout: TokenLayout, query: TokenLayout.Token,
                            block: Int? = nil, heads: HeadSelection = .mean) throws(AnalysisError) -> Tensor {
        let token = try layout.tokenIndex(query)
        let attention = try AttentionBlocks.select(blocks, index: block, layout: layout, queries: [token])
        return try PatchRowMaps.maps(attention, layout: layout, queries: [token], heads: heads)
    }
}
