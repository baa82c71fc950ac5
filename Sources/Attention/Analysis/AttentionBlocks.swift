import TensorCore

/// Checks and picks among the per-block attention tensors of one forward pass.
///
/// Shape: `blocks[i]` `[B, heads, T, T]`, the same B and heads for every block, T the
/// layout's `tokenCount`. Blocks are named `attention.<i>` in errors, as in Contract 5.
enum AttentionBlocks {
    /// Throws unless every block fits the layout and all share batch size and head count.
    static func validate(_ blocks: [Tensor], layout: TokenLayout) throws(AnalysisError) {
        guard let first = blocks.first else { throw .noBlocks }
        for (i, block) in blocks.enumerated() {
            try layout.validate(block, name: "attention.\(i)")
            guard block.shape[0] == first.shape[0], block.shape[1] == first.shape[1] else {
                throw .blocksDisagree(name: "attention.\(i)", expected: Array(first.shape[0..<2]),
                                      got: Array(block.shape[0..<2]))
            }
        }
    }

    /// Block `index` (nil: the last), after checking it and the layout: every row, or with
    /// `queries` at least the rows of those query tokens (``TokenLayout/validate(_:name:queries:)``).
    static func select(_ blocks: [Tensor], index: Int?, layout: TokenLayout,
                       queries: [Int]? = nil) throws(AnalysisError) -> Tensor {
        guard !blocks.isEmpty else { throw .noBlocks }
        let i = index ?? blocks.count - 1
        guard (0..<blocks.count).contains(i) else { throw .blockOutOfRange(block: i, count: blocks.count) }
        if let queries {
            try layout.validate(blocks[i], name: "attention.\(i)", queries: queries)
        } else {
            try layout.validate(blocks[i], name: "attention.\(i)")
        }
        return blocks[i]
    }
}
