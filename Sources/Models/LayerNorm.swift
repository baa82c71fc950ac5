import CVectorKernels
import TensorCore

/// Layer normalisation over the last dimension (Ba, Kiros & Hinton 2016), as
/// `torch.nn.LayerNorm(D, eps)`: `y = (x − mean) / sqrt(var + eps) · weight + bias`, with the
/// biased variance, computed per row by `CVectorKernels_layerNormRows` (Float32 lanes, mean
/// then centred squares; AVX-512F, AVX2+FMA or portable C picked at run time).
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
                CVectorKernels_layerNormRows(input, output, rows, d, w.baseAddress!, b.baseAddress!, epsilon)
            }
        }
    }

    /// The normalised tensor.
    ///
    /// Shape: [..., D] -> [..., D].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == dimension, "LayerNorm expects [..., \(dimension)], got \(x.shape)")
        // Written row by row from x: no copy of x first, no zeroing.
        var y = Tensor(shape: x.shape, storage: HugePages.uninitializedFloats(x.count))
        let rows = x.count / max(dimension, 1)
        x.storage.withUnsafeBufferPointer { input in
            y.storage.withUnsafeMutableBufferPointer { output in
                apply(rows: rows, input: input.baseAddress!, output: output.baseAddress!)
            }
        }
        return y
    }
}
