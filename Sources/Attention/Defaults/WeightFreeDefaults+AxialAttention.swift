import TensorCore

extension WeightFreeDefaults {
    /// lucidrains `AxialAttention(dim=64, num_dimensions=2, heads=4, dim_heads=16,
    /// dim_index=1, sum_axial_out)` weights with the same non-local-means heads as
    /// ``selfAttentionWeights(for:)``, along each axis.
    ///
    /// Both `axial_attentions.0.fn` (along the height) and `axial_attentions.1.fn` (along
    /// the width) get `to_q` = the heads' q, `to_kv` = [k ; v] ([128, 64], keys first as the
    /// reference's `chunk(2)` splits them) and `to_out` = the layout-reassembling
    /// projection with zero bias. lucidrains multiplies q·kᵀ by `dim_heads^-0.5` where timm
    /// scales q; the product is the same, so so are the weights. The temperatures are the
    /// whole grid's, so a row or column compares cells on the image's scale of differences.
    ///
    /// With `sumAxialOut` (output = attn0(x) + attn1(x)) each `to_out` is halved, so the
    /// output is the mean of the two axes' weighted tokens. Without it (output =
    /// attn1(attn0(x))) the width attention sees the height-smoothed tokens; its norm
    /// channel then holds the weighted mean of |g|², which exceeds |mean g|² by the
    /// column's variance (Jensen), so its weights are NLM weights with an extra penalty on
    /// keys whose column mixed dissimilar cells. The height weights are exact either way.
    ///
    /// Metadata: `module` = `axial_attention`, `heads` = `4`, `dim_heads` = `16`,
    /// `sum_axial_out` = `true`/`false`, plus `temperatures` and `head_names`.
    ///
    /// Shape: `….to_q.weight` [64, 64], `….to_kv.weight` [128, 64], `….to_out.weight` [64, 64],
    /// `….to_out.bias` [64].
    public static func axialAttentionWeights(for grid: ImageFeatureGrid, sumAxialOut: Bool) -> WeightSet {
        let heads = SimilarityHead.heads(features: grid.features)
        let projections = SimilarityHead.projections(heads)
        let c = dimension
        let output = sumAxialOut ? projections.output.map { $0 * 0.5 } : projections.output
        var tensors: [String: Tensor] = [:]
        for axis in 0..<2 {
            let prefix = "axial_attentions.\(axis).fn."
            tensors[prefix + "to_q.weight"] = Tensor(shape: [c, c], storage: projections.query)
            tensors[prefix + "to_kv.weight"] = Tensor(shape: [2 * c, c], storage: projections.key + projections.value)
            tensors[prefix + "to_out.weight"] = Tensor(shape: [c, c], storage: output)
            tensors[prefix + "to_out.bias"] = Tensor(shape: [c])
        }
        var metadata = headMetadata(heads)
        metadata["module"] = AxialAttention.moduleName
        metadata["heads"] = "\(self.heads)"
        metadata["dim_heads"] = "\(headDimension)"
        metadata["sum_axial_out"] = sumAxialOut ? "true" : "false"
        return WeightSet(tensors: tensors, metadata: metadata)
    }
}
