import TensorCore

/// Layer normalisation over the last dimension (Ba, Kiros & Hinton 2016), as
/// `torch.nn.LayerNorm(D, eps)`: `y = (x − mean) / sqrt(var + eps) · weight + bias`, with the
/// biased variance, computed per row in Float64 accumulators.
///
/// Shape: rows of D floats -> same; `weight`, `bias` [D]. The epsilon is the checkpoint's:
/// timm's ViTs use 1e-6, transformers' ViT 1e-12 (`layer_norm_eps`).
public struct LayerNorm: Sendable {
    /// Shape: [D].
    public let weight: Tensor
    /// Shape: [D].
    public let bias: Tensor
    /// Added to the variance.
    public let epsilon: Float

    /// Width D.
    public var dimension: Int { weight.count }

    public init(weight: Tensor, bias: Tensor, epsilon: Float) {
        precondition(weight.rank == 1 && bias.shape == weight.shape,
                     "LayerNorm weight and bias must both be [D], got \(weight.shape) and \(bias.shape)")
        self.weight = weight
        self.bias = bias
        self.epsilon = epsilon
    }

    /// Normalises `rows` rows of `input` (row stride D) into `output` (row stride D); the two
    /// may be the same buffer.
    public func apply(rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let d = dimension
        guard d > 0 else { return }
        weight.storage.withUnsafeBufferPointer { w in
            bias.storage.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let x = input + r * d, y = output + r * d
                    var sum = 0.0
                    for i in 0..<d { sum += Double(x[i]) }
                    let mean = sum / Double(d)
                    var squares = 0.0
                    for i in 0..<d {
                        let centred = Double(x[i]) - mean
                        squares += centred * centred
                    }
                    let inverse = Float(1 / (squares / Double(d) + Double(epsilon)).squareRoot())
                    let m = Float(mean)
                    for i in 0..<d { y[i] = (x[i] - m) * inverse * w[i] + b[i] }
                }
            }
        }
    }

    /// The normalised tensor.
    ///
    /// Shape: [..., D] -> [..., D].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == dimension, "LayerNorm expects [..., \(dimension)], got \(x.shape)")
        var y = x
        let rows = x.count / max(dimension, 1)
        y.storage.withUnsafeMutableBufferPointer { buffer in
            apply(rows: rows, input: buffer.baseAddress!, output: buffer.baseAddress!)
        }
        return y
    }
}
