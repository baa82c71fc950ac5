import TensorCore

/// DINO's thresholded attention: per head, the patches that together hold a fraction
/// `mass` of the class token's attention over the patches.
///
/// Transcribes the `--threshold` branch of facebookresearch/dino `visualize_attention.py`
/// (`th_attn`) for each batch item and panel: the weights are sorted **ascending**
/// (`val, idx = torch.sort(attn)`), divided by their sum, summed cumulatively, and a patch
/// is kept where the cumulative sum is greater than `1 − mass`; the flags are put back in
/// patch order with `argsort(idx)`. So the kept patches are the largest weights, the fewest
/// of them whose total is at least `mass` of the whole: everything dropped sums to at most
/// `1 − mass`. Equal weights are ordered by patch index (`torch.sort` leaves their order
/// unspecified). Arithmetic in Float64 (DINO's is Float32; it differs only for a cumulative
/// sum within ~1e-7 of `1 − mass`).
///
/// Shape: maps `[B, K, rows, columns]` → ``PatchMask`` of the same shape.
/// Reference: Caron et al. 2021 (DINO), Fig. 3 and `visualize_attention.py`.
public struct DINOMask: Sendable, Equatable {
    /// Fraction of the attention the kept patches hold, in [0, 1] (DINO's `--threshold`;
    /// 0.6 in the paper's figures).
    public var mass: Double

    public init(mass: Double = 0.6) {
        self.mass = mass
    }

    /// The masks of the class-token maps of block `block` (nil: the last), per head
    /// (without a class token, of the maps ``ClassTokenAttention`` gives instead).
    ///
    /// Shape: `blocks[i]` `[B, heads, T, T]` → `[B, heads, rows, columns]`.
    public func callAsFunction(_ blocks: [Tensor], layout: TokenLayout, block: Int? = nil) throws(AnalysisError) -> PatchMask {
        try callAsFunction(ClassTokenAttention.maps(blocks, layout: layout, block: block, heads: .each))
    }

    /// The masks of any patch maps, each thresholded on its own.
    public func callAsFunction(_ maps: Tensor) throws(AnalysisError) -> PatchMask {
        guard (0...1).contains(mass) else { throw .mass(mass) }
        precondition(maps.rank == 4, "maps have shape [B, K, rows, columns], got \(maps.shape)")
        let patches = maps.shape[2] * maps.shape[3]
        var out = [UInt8](repeating: 0, count: maps.count)
        for start in stride(from: 0, to: maps.count, by: Swift.max(patches, 1)) {
            let values = (0..<patches).map { Double(maps.storage[start + $0]) }
            // val, idx = sort(attn): ascending, ties by index
            let idx = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            let total = values.reduce(0, +)
            var cumulative = 0.0
            for n in idx {
                cumulative += values[n] / total
                // th_attn = cumval > 1 − mass, then th_attn[argsort(idx)] puts it back at n
                out[start + n] = cumulative > 1 - mass ? 1 : 0
            }
        }
        return PatchMask(shape: maps.shape, storage: out)
    }
}
