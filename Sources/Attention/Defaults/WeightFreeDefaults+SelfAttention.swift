import TensorCore

extension WeightFreeDefaults {
    /// timm `Attention` weights whose four heads are exact non-local-means similarities
    /// over the grid's colour, texture, appearance and appearance+position features.
    ///
    /// `qkv.weight` stacks the q, k and v of `SimilarityHead.projections` ([3·64, 64]: q rows
    /// first, as timm splits them); `qkv.bias` is zero (the constant token channel plays the
    /// bias's role); `proj.weight` reassembles a token of the same layout from the heads and
    /// `proj.bias` is zero. Running `MultiHeadSelfAttention` on ``ImageFeatureGrid/sequence``
    /// then gives, for head h, `A[i, j] = exp(−|g_i − g_j|²/T_h) / Σ_j exp(−|g_i − g_j|²/T_h)`.
    ///
    /// Metadata: `module` = `self_attention`, `num_heads` = `4`, and (informative)
    /// `temperatures` = T of each head, comma-separated, and `head_names`.
    ///
    /// Shape: `qkv.weight` [192, 64], `qkv.bias` [192], `proj.weight` [64, 64], `proj.bias` [64].
    public static func selfAttentionWeights(for grid: ImageFeatureGrid) -> WeightSet {
        let heads = SimilarityHead.heads(features: grid.features)
        let projections = SimilarityHead.projections(heads)
        let c = dimension
        var metadata = headMetadata(heads)
        metadata["module"] = MultiHeadSelfAttention.moduleName
        metadata["num_heads"] = "\(self.heads)"
        return WeightSet(tensors: [
            "qkv.weight": Tensor(shape: [3 * c, c], storage: projections.query + projections.key + projections.value),
            "qkv.bias": Tensor(shape: [3 * c]),
            "proj.weight": Tensor(shape: [c, c], storage: projections.output),
            "proj.bias": Tensor(shape: [c]),
        ], metadata: metadata)
    }

    /// The informative metadata shared by the self and axial defaults.
    static func headMetadata(_ heads: [SimilarityHead]) -> [String: String] {
        ["temperatures": heads.map { "\($0.temperature)" }.joined(separator: ","),
         "head_names": heads.map(\.name).joined(separator: ",")]
    }
}
