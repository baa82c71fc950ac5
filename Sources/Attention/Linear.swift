import TensorCore

/// A fully connected layer `y = x·Wᵀ + b`, as `torch.nn.Linear`.
///
/// Shape: input [..., in] -> output [..., out]; `weight` [out, in], `bias` [out] or none.
///
/// The product runs through one `BLAS.sgemm` over all leading rows, with the bias written into
/// C first and the product accumulated onto it.
public struct Linear: Sendable, Equatable {
    /// Whether a `<prefix>.bias` tensor is read when loading.
    public enum Bias: Sendable {
        /// The reference module always has a bias (`nn.Linear(…, bias=True)`).
        case required
        /// The bias may be present or not (timm `qkv_bias`).
        case optional
        /// The reference module has no bias (`bias=False`); a stray one is left unused.
        case absent
    }

    /// Shape: [out, in].
    public let weight: Tensor
    /// Shape: [out], or `nil` for no bias.
    public let bias: Tensor?

    /// Number of input features (`in`).
    public var inputFeatures: Int { weight.shape[1] }
    /// Number of output features (`out`).
    public var outputFeatures: Int { weight.shape[0] }

    /// A layer from its weight [out, in] and optional bias [out].
    public init(weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.rank == 2, "Linear weight must be [out, in], got \(weight.shape)")
        if let bias {
            precondition(bias.shape == [weight.shape[0]],
                         "Linear bias must be [\(weight.shape[0])], got \(bias.shape)")
        }
        self.weight = weight
        self.bias = bias
    }

    /// Loads `<prefix>.weight` [out, in] and, per `bias`, `<prefix>.bias` [out].
    ///
    /// - Throws: ``AttentionError/missingTensor(name:module:)`` or
    ///   ``AttentionError/shapeMismatch(name:expected:got:)`` naming the tensor.
    public init(loading weights: inout WeightSet, prefix: String, inputFeatures: Int, outputFeatures: Int,
                bias: Bias, module: String) throws {
        let weight = try weights.require(prefix + ".weight", shape: [outputFeatures, inputFeatures], module: module)
        var biasTensor: Tensor?
        switch bias {
        case .required:
            biasTensor = try weights.require(prefix + ".bias", shape: [outputFeatures], module: module)
        case .optional:
            biasTensor = try weights.optional(prefix + ".bias", shape: [outputFeatures], module: module)
        case .absent:
            biasTensor = nil
        }
        self.init(weight: weight, bias: biasTensor)
    }

    /// Applies the layer to the last dimension of `x`.
    ///
    /// Shape: [..., in] -> [..., out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inputFeatures,
                     "Linear expects [..., \(inputFeatures)], got \(x.shape)")
        let rows = x.count / max(inputFeatures, 1)
        var outputShape = x.shape
        outputShape[x.rank - 1] = outputFeatures
        // The GEMM writes every element (beta 0) when it has inputs: no need to zero it first.
        let count = Tensor.count(of: outputShape)
        var y = inputFeatures > 0
            ? Tensor(shape: outputShape, storage: HugePages.uninitializedFloats(count)) : Tensor(shape: outputShape)
        x.storage.withUnsafeBufferPointer { input in
            y.storage.withUnsafeMutableBufferPointer { output in
                apply(rows: rows, input: input.baseAddress!, inputStride: inputFeatures,
                      output: output.baseAddress!, outputStride: outputFeatures)
            }
        }
        return y
    }

    /// `output[r] (+)= input[r]·Wᵀ + b` for `rows` rows on strided buffers, for the output
    /// features `features` (all of them by default).
    ///
    /// Shape: input rows of `in` floats every `inputStride`; output rows of
    /// `features.count` floats every `outputStride`. With `accumulate` the result is added
    /// to what `output` holds.
    func apply(rows: Int, input: UnsafePointer<Float>, inputStride: Int,
               output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool = false,
               features: Range<Int>? = nil) {
        let features = features ?? 0..<outputFeatures
        precondition(features.lowerBound >= 0 && features.upperBound <= outputFeatures,
                     "features \(features) outside 0..<\(outputFeatures)")
        guard rows > 0, !features.isEmpty else { return }
        withWeight { w, bias in
            // [rows, in] · [out, in][features]ᵀ -> [rows, features]
            BLAS.sgemm(transB: true, m: rows, n: features.count, k: inputFeatures, a: input, lda: inputStride,
                       b: w + features.lowerBound * inputFeatures, ldb: inputFeatures, beta: accumulate ? 1 : 0,
                       bias: bias.map { $0 + features.lowerBound }, c: output, ldc: outputStride)
        }
    }

    /// `output[r] (+)= x_r·Wᵀ + b` where token r is column r of a channel-major input, the
    /// transpose read by the GEMM itself (no copy).
    ///
    /// Shape: input [in, rows] on row stride `inputStride` ≥ rows; output rows of `out` floats
    /// every `outputStride`.
    func apply(channelMajorRows rows: Int, input: UnsafePointer<Float>, inputStride: Int,
               output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool = false) {
        guard rows > 0, outputFeatures > 0 else { return }
        withWeight { w, bias in
            // [in, rows]ᵀ · [out, in]ᵀ -> [rows, out]
            BLAS.sgemm(transA: true, transB: true, m: rows, n: outputFeatures, k: inputFeatures, a: input,
                       lda: inputStride, b: w, ldb: inputFeatures, beta: accumulate ? 1 : 0, bias: bias,
                       c: output, ldc: outputStride)
        }
    }

    /// `output[:, r] (+)= W·x_r + b` written channel-major: output feature o of token r at
    /// `output + o·outputStride + r`.
    ///
    /// Shape: input rows of `in` floats every `inputStride` -> output [out, rows] on row
    /// stride `outputStride` ≥ rows.
    func apply(rows: Int, input: UnsafePointer<Float>, inputStride: Int,
               channelMajorOutput output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool = false) {
        guard rows > 0, outputFeatures > 0 else { return }
        let out = outputFeatures
        if let bias {
            bias.storage.withUnsafeBufferPointer { b in
                for o in 0..<out {
                    let row = output + o * outputStride
                    if accumulate {
                        for r in 0..<rows { row[r] += b[o] }
                    } else {
                        row.update(repeating: b[o], count: rows)
                    }
                }
            }
        } else if !accumulate {
            for o in 0..<out { (output + o * outputStride).update(repeating: 0, count: rows) }
        }
        weight.storage.withUnsafeBufferPointer { w in
            // [out, in] · [rows, in]ᵀ -> [out, rows]
            BLAS.sgemm(transA: false, transB: true, m: out, n: rows, k: inputFeatures,
                       a: w.baseAddress!, lda: inputFeatures, b: input, ldb: inputStride,
                       beta: 1, c: output, ldc: outputStride)
        }
    }

    /// Calls `body` with the weight's floats and the bias's, or nil without a bias.
    private func withWeight(_ body: (UnsafePointer<Float>, UnsafePointer<Float>?) -> Void) {
        weight.storage.withUnsafeBufferPointer { w in
            if let bias {
                bias.storage.withUnsafeBufferPointer { body(w.baseAddress!, $0.baseAddress) }
            } else {
                body(w.baseAddress!, nil)
            }
        }
    }
}
