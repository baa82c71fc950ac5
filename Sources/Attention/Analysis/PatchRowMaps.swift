import TensorCore

/// The attention some query tokens pay to the patches, as grid maps: the common core of
/// the class-token map and the query map.
///
/// For each batch item and head, the rows of the query tokens are read over the patch
/// columns only (class token and registers are never drawn), averaged over the queries,
/// and reshaped to the grid; then the heads are reduced as `heads` says (the mean is the
/// plain mean of the per-head maps). Sums are in Float64.
///
/// Shape: `attention` `[B, heads, T, T]` (or its first Q rows, `[B, heads, Q, T]`, when
/// every query lies below Q) → `[B, K, rows, columns]`, K =
/// `heads.panelCount(heads:)`; element `(b, k, r, c)` is the weight on patch token
/// `prefixCount + r·columns + c`.
enum PatchRowMaps {
    static func maps(_ attention: Tensor, layout: TokenLayout, queries: [Int],
                     heads selection: HeadSelection) throws(AnalysisError) -> Tensor {
        precondition(!queries.isEmpty && queries.allSatisfy { (0..<layout.tokenCount).contains($0) },
                     "query tokens \(queries) must lie in 0..<\(layout.tokenCount)")
        try layout.validate(attention, name: "attention", queries: queries)
        let (batch, heads, queryRows, tokens) = (attention.shape[0], attention.shape[1], attention.shape[2], attention.shape[3])
        try selection.validate(heads: heads)
        let (prefix, patches) = (layout.prefixCount, layout.patchCount)
        let panels = selection.panelCount(heads: heads)
        var out = [Float](repeating: 0, count: batch * panels * patches)
        var row = [Double](repeating: 0, count: patches)
        var mean = [Double](repeating: 0, count: patches)
        for b in 0..<batch {
            for i in mean.indices { mean[i] = 0 }
            for h in 0..<heads {
                // [B, heads, T, T] -> the queries' rows of head h, patch columns only
                for i in row.indices { row[i] = 0 }
                for q in queries {
                    let base = ((b * heads + h) * queryRows + q) * tokens + prefix
                    for j in 0..<patches { row[j] += Double(attention.storage[base + j]) }
                }
                let scale = 1 / Double(queries.count)
                switch selection {
                case .each:
                    let base = (b * panels + h) * patches
                    for j in 0..<patches { out[base + j] = Float(row[j] * scale) }
                case let .head(chosen) where chosen == h:
                    let base = b * patches
                    for j in 0..<patches { out[base + j] = Float(row[j] * scale) }
                case .head:
                    break
                case .mean:
                    for j in 0..<patches { mean[j] += row[j] * scale }
                }
            }
            if case .mean = selection {
                let base = b * patches
                for j in 0..<patches { out[base + j] = Float(mean[j] / Double(heads)) }
            }
        }
        return Tensor(shape: [batch, panels, layout.rows, layout.columns], storage: out)
    }
}
