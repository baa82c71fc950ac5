import TensorCore

extension MultiHeadSelfAttention {
    /// The layer with only the first `count` tokens as queries, every token still a key and
    /// a value: the same rows of output and attention as ``callAsFunction(_:capture:)``,
    /// without the queries, weights and outputs of the other tokens. What a vision
    /// transformer's last block needs when only its class token is read afterwards.
    ///
    /// Shape: x [B, N, C] -> output [B, count, C], attention [B, heads, count, N] (nil unless
    /// `keepWeights`).
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` is not
    ///   [B, N, C] with N ≥ `count` ≥ 1.
    public func leadingQueries(_ x: Tensor, count q: Int, keepWeights: Bool) throws -> Result {
        let c = dimension
        guard x.rank == 3, x.shape[2] == c, q >= 1, x.shape[1] >= q else {
            throw AttentionError.inputShape(name: "input", expected: "[B, N ≥ \(max(q, 1)), \(c)]", got: x.shape)
        }
        let (b, n, heads, e) = (x.shape[0], x.shape[1], numHeads, headDimension)
        // [B·q, C] queries of the first q tokens; [B·N, 2C] keys then values of every token.
        var queries = HugePages.uninitializedFloats(b * q * c)
        var keysValues = HugePages.uninitializedFloats(b * n * 2 * c)
        var merged = HugePages.uninitializedFloats(b * q * c)
        // The weights of one batch item are needed while it is attended; kept whole when asked.
        var maps = HugePages.uninitializedFloats(keepWeights ? b * heads * q * n : heads * q * n)
        let scale = self.scale
        x.storage.withUnsafeBufferPointer { input in
            queries.withUnsafeMutableBufferPointer { qBuffer in
                keysValues.withUnsafeMutableBufferPointer { kvBuffer in
                    let (qBase, kvBase) = (qBuffer.baseAddress!, kvBuffer.baseAddress!)
                    qkv.apply(rows: b * n, input: input.baseAddress!, inputStride: c, output: kvBase,
                              outputStride: 2 * c, features: c..<(3 * c))
                    for batch in 0..<b {
                        qkv.apply(rows: q, input: input.baseAddress! + batch * n * c, inputStride: c,
                                  output: qBase + batch * q * c, outputStride: c, features: 0..<c)
                    }
                    VectorMath.scale(qBase, count: b * q * c, by: scale)
                    merged.withUnsafeMutableBufferPointer { mergedBuffer in
                        maps.withUnsafeMutableBufferPointer { mapBuffer in
                            for batch in 0..<b {
                                let kv = kvBase + batch * n * 2 * c
                                ScaledDotProductAttention.attendRows(
                                    q: qBase + batch * q * c, qStride: c, k: kv, kStride: 2 * c, v: kv + c, vStride: 2 * c,
                                    out: mergedBuffer.baseAddress! + batch * q * c, outStride: c,
                                    rows: q, length: n, heads: heads, headDimension: e, scoreScale: 1,
                                    scores: mapBuffer.baseAddress! + (keepWeights ? batch * heads * q * n : 0),
                                    headStride: q * n)
                            }
                        }
                    }
                }
            }
        }
        let output = projection(Tensor(shape: [b, q, c], storage: merged))
        return Result(output: output, attention: keepWeights ? Tensor(shape: [b, heads, q, n], storage: maps) : nil)
    }
}
