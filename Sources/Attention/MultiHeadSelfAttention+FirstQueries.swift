import TensorCore

extension MultiHeadSelfAttention {
    /// The layer with only the first token of each sequence as a query, every token still a
    /// key and a value of its own sequence: those rows of output and attention as
    /// ``callAsFunction(_:lengths:keepWeights:)`` computes them, without the queries, weights
    /// and outputs of the other tokens. What a vision transformer's last block needs when only
    /// its class tokens are read afterwards.
    ///
    /// Shape: x [ΣNᵢ, C] (the sequences' tokens one after another, any rank with that count
    /// and last dimension C) -> output [S, C] (S sequences), attention one [1, heads, 1, Nᵢ]
    /// per sequence with `keepWeights`, else empty.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` does not hold ΣNᵢ
    ///   rows of C.
    public func firstQueries(_ x: Tensor, lengths: [Int], keepWeights: Bool) throws -> (output: Tensor, attention: [Tensor]) {
        let (c, total, s) = (dimension, lengths.reduce(0, +), lengths.count)
        guard x.shape.last == c, x.count == total * c, lengths.allSatisfy({ $0 >= 1 }) else {
            throw AttentionError.inputShape(name: "input", expected: "[\(total), \(c)]", got: x.shape)
        }
        let (heads, e) = (numHeads, headDimension)
        // [S, C] queries of the first tokens; [ΣN, 2C] keys then values of every token.
        var queries = HugePages.uninitializedFloats(s * c)
        var keysValues = HugePages.uninitializedFloats(total * 2 * c)
        var merged = HugePages.uninitializedFloats(s * c)
        // One sequence's weights are needed while it is attended; all kept when asked.
        var maps = HugePages.uninitializedFloats(keepWeights ? heads * total : heads * (lengths.max() ?? 1))
        let scale = self.scale
        x.storage.withUnsafeBufferPointer { input in
            queries.withUnsafeMutableBufferPointer { qBuffer in
                keysValues.withUnsafeMutableBufferPointer { kvBuffer in
                    let (qBase, kvBase) = (qBuffer.baseAddress!, kvBuffer.baseAddress!)
                    qkv.apply(rows: total, input: input.baseAddress!, inputStride: c, output: kvBase,
                              outputStride: 2 * c, features: c..<(3 * c))
                    // The first rows of the sequences, N₀, N₁, … apart: one product with that row stride
                    // when the sequences are equally long, else one per sequence.
                    if let n = lengths.first, lengths.allSatisfy({ $0 == n }) {
                        qkv.apply(rows: s, input: input.baseAddress!, inputStride: n * c, output: qBase,
                                  outputStride: c, features: 0..<c)
                    } else {
                        var start = 0
                        for (i, n) in lengths.enumerated() {
                            qkv.apply(rows: 1, input: input.baseAddress! + start * c, inputStride: c,
                                      output: qBase + i * c, outputStride: c, features: 0..<c)
                            start += n
                        }
                    }
                    VectorMath.scale(qBase, count: s * c, by: scale)
                    merged.withUnsafeMutableBufferPointer { mergedBuffer in
                        maps.withUnsafeMutableBufferPointer { mapBuffer in
                            var start = 0
                            for (i, n) in lengths.enumerated() {
                                let kv = kvBase + start * 2 * c
                                ScaledDotProductAttention.attendRows(
                                    q: qBase + i * c, qStride: c, k: kv, kStride: 2 * c, v: kv + c, vStride: 2 * c,
                                    out: mergedBuffer.baseAddress! + i * c, outStride: c,
                                    rows: 1, length: n, heads: heads, headDimension: e, scoreScale: 1,
                                    scores: mapBuffer.baseAddress! + (keepWeights ? heads * start : 0), headStride: n)
                                start += n
                            }
                        }
                    }
                }
            }
        }
        let output = projection(Tensor(shape: [s, c], storage: merged))
        guard keepWeights else { return (output, []) }
        var attention: [Tensor] = []
        var start = 0
        for n in lengths {
            attention.append(Tensor(shape: [1, heads, 1, n], storage: Array(maps[(heads * start)..<(heads * (start + n))])))
            start += n
        }
        return (output, attention)
    }
}
