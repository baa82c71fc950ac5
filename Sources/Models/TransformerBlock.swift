import Attention
import TensorCore

/// One pre-norm encoder block of the Vision Transformer, as timm's `vision_transformer.Block`
/// (transformers' `ViTLayer` and `Dinov2Layer` compute the same):
///
///     x ← x + γ₁ ⊙ attn(norm1(x))
///     x ← x + γ₂ ⊙ fc2(gelu(fc1(norm2(x))))
///
/// with γ the LayerScale factors (`ls1.gamma`, `ls2.gamma`) when the checkpoint has them,
/// else 1; GELU exact (erf).
///
/// Shape: x [B, T, D] -> [B, T, D]; attention [B, heads, T, T]; `fc1` [H, D], `fc2` [D, H].
///
/// Tensors (timm names, under `blocks.<i>.`): `norm1.{weight,bias}`, `attn.qkv.{weight,bias}`,
/// `attn.proj.{weight,bias}`, `ls1.gamma`, `norm2.{weight,bias}`, `mlp.fc1.{weight,bias}`,
/// `mlp.fc2.{weight,bias}`, `ls2.gamma`.
public struct TransformerBlock: Sendable {
    public let norm1: LayerNorm
    public let attention: MultiHeadSelfAttention
    /// Shape: [D], or nil without LayerScale.
    public let layerScale1: Tensor?
    public let norm2: LayerNorm
    public let fc1: Linear
    public let fc2: Linear
    /// Shape: [D], or nil without LayerScale.
    public let layerScale2: Tensor?

    /// Loads block `prefix` (e.g. `blocks.3.`) of a checkpoint in timm's names.
    public init(loading weights: inout WeightSet, prefix: String, configuration c: ViTConfiguration,
                module: String) throws {
        let (d, h) = (c.dimension, c.mlpDimension)
        func norm(_ name: String) throws -> LayerNorm {
            LayerNorm(weight: try weights.require(prefix + name + ".weight", shape: [d], module: module),
                      bias: try weights.require(prefix + name + ".bias", shape: [d], module: module),
                      epsilon: c.layerNormEpsilon)
        }
        norm1 = try norm("norm1")
        let qkv = try Linear(loading: &weights, prefix: prefix + "attn.qkv", inputFeatures: d, outputFeatures: 3 * d,
                             bias: c.qkvBias ? .required : .absent, module: module)
        let projection = try Linear(loading: &weights, prefix: prefix + "attn.proj", inputFeatures: d,
                                    outputFeatures: d, bias: .required, module: module)
        attention = try MultiHeadSelfAttention(qkv: qkv, projection: projection, numHeads: c.numHeads)
        norm2 = try norm("norm2")
        fc1 = try Linear(loading: &weights, prefix: prefix + "mlp.fc1", inputFeatures: d, outputFeatures: h,
                         bias: .required, module: module)
        fc2 = try Linear(loading: &weights, prefix: prefix + "mlp.fc2", inputFeatures: h, outputFeatures: d,
                         bias: .required, module: module)
        if c.layerScale {
            layerScale1 = try weights.require(prefix + "ls1.gamma", shape: [d], module: module)
            layerScale2 = try weights.require(prefix + "ls2.gamma", shape: [d], module: module)
        } else {
            (layerScale1, layerScale2) = (nil, nil)
        }
    }

    /// Runs the block on `x` in place and returns the attention weights `capture` asks for.
    ///
    /// Shape: x [B, T, D] -> [B, T, D]; returns [B, heads, T, T] for `.full`.
    public func callAsFunction(_ x: inout Tensor, capture: AttentionCapture) throws -> Tensor? {
        let attended = try attention(norm1(x), capture: capture)
        Self.addResidual(attended.output, scale: layerScale1, into: &x)
        mlp(&x)   // [B, T, D] -> [B, T, H] -> [B, T, D]
        return attended.attention
    }

    /// The block over sequences of different lengths stacked one after another (a ragged
    /// batch), each attending only to itself; in place.
    ///
    /// Shape: x [ΣTᵢ, D] (any rank with that count and last dimension D) -> same; returns one
    /// [1, heads, Tᵢ, Tᵢ] per sequence with `keepWeights`, else none.
    public func callAsFunction(_ x: inout Tensor, lengths: [Int], keepWeights: Bool) throws -> [Tensor] {
        let attended = try attention(norm1(x), lengths: lengths, keepWeights: keepWeights)
        Self.addResidual(attended.output, scale: layerScale1, into: &x)
        mlp(&x)
        return attended.attention
    }

    /// The block's output for the first token of each sequence alone
    /// (``MultiHeadSelfAttention/firstQueries(_:lengths:keepWeights:)``): every token is still
    /// a key and a value of its sequence, but only those rows are attended and sent through
    /// the MLP. What the last block computes when only the class tokens are read after it.
    ///
    /// Shape: x [ΣTᵢ, D] -> output [S, D], attention one [1, heads, 1, Tᵢ] per sequence with
    /// `keepWeights`, else none.
    public func firstRows(_ x: Tensor, lengths: [Int], keepWeights: Bool) throws -> (output: Tensor, attention: [Tensor]) {
        let attended = try attention.firstQueries(norm1(x), lengths: lengths, keepWeights: keepWeights)
        let d = x.shape[x.rank - 1]
        // [ΣT, D] -> the first row of each sequence, [S, D]
        var first = Tensor(shape: [lengths.count, d])
        var start = 0
        for (i, n) in lengths.enumerated() {
            first.storage.replaceSubrange((i * d)..<((i + 1) * d), with: x.storage[(start * d)..<((start + 1) * d)])
            start += n
        }
        Self.addResidual(attended.output, scale: layerScale1, into: &first)
        mlp(&first)
        return (first, attended.attention)
    }

    /// x ← x + γ₂ ⊙ fc2(gelu(fc1(norm2(x)))), row by row.
    ///
    /// Shape: [..., D] -> same; the hidden layer [..., H].
    func mlp(_ x: inout Tensor) {
        var hidden = fc1(norm2(x))
        hidden.storage.withUnsafeMutableBufferPointer { GELU.apply($0.baseAddress!, count: $0.count) }
        Self.addResidual(fc2(hidden), scale: layerScale2, into: &x)
    }

    /// x ← x + γ ⊙ branch, γ broadcast over the rows (or 1).
    static func addResidual(_ branch: Tensor, scale: Tensor?, into x: inout Tensor) {
        let d = x.shape[x.rank - 1]
        x.storage.withUnsafeMutableBufferPointer { target in
            branch.storage.withUnsafeBufferPointer { source in
                if let scale {
                    scale.storage.withUnsafeBufferPointer { gamma in
                        for row in 0..<(target.count / max(d, 1)) {
                            let base = row * d
                            for k in 0..<d { target[base + k] += gamma[k] * source[base + k] }
                        }
                    }
                } else {
                    for i in 0..<target.count { target[i] += source[i] }
                }
            }
        }
    }
}
