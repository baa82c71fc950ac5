import TensorCore

/// Image to patch embedding of the Vision Transformer.
///
/// Dosovitskiy et al., "An Image Is Worth 16x16 Words" (ICLR 2021); follows timm's
/// `layers.PatchEmbed` with `flatten=True` and no norm: a p×p convolution with stride p
/// (`proj`), flattened to tokens in row-major patch order (`x.flatten(2).transpose(1, 2)`).
/// The convolution runs as one product of the patches (an im2col buffer: one row of C·p·p
/// pixels per patch, in the weight's (c, ky, kx) order) with the flattened weight. Like the
/// convolution, a height or width that is not a multiple of p drops its last partial patch.
///
/// Shape: input [B, C, H, W] -> output [B, N, D], N = ⌊H/p⌋·⌊W/p⌋, patch (gy, gx) at
/// token gy·⌊W/p⌋ + gx; `weight` [D, C, p, p], `bias` [D].
///
/// Model files (Contract 1, module `patch_embed`): `proj.weight`, `proj.bias`; metadata
/// `patch_size`.
public struct PatchEmbedding: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "patch_embed"

    /// Shape: [D, C, p, p].
    public let weight: Tensor
    /// Shape: [D], or `nil`.
    public let bias: Tensor?
    /// The convolution as a linear map on flattened patches: weight [D, C·p·p].
    let flattened: Linear

    /// Patch side p (kernel size and stride).
    public var patchSize: Int { weight.shape[2] }
    /// Input channels C.
    public var inputChannels: Int { weight.shape[1] }
    /// Embedding dimension D.
    public var embeddingDimension: Int { weight.shape[0] }

    /// A patch embedding from its convolution weight [D, C, p, p] and bias [D].
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3] && weight.shape[2] > 0,
                     "patch embedding weight must be [D, C, p, p], got \(weight.shape)")
        self.weight = weight
        self.bias = bias
        let (d, c, p) = (weight.shape[0], weight.shape[1], weight.shape[2])
        flattened = Linear(weight: weight.reshaped([d, c * p * p]), bias: bias)
    }

    /// Loads a Contract 1 `patch_embed` model.
    public init(weights: WeightSet) throws {
        var weights = weights
        try self.init(loading: &weights)
    }

    /// Loads a Contract 1 `patch_embed` model, recording the names it reads in `weights`.
    public init(loading weights: inout WeightSet) throws {
        let module = Self.moduleName
        let p = try weights.integer("patch_size", module: module)
        let shape = try weights.require("proj.weight", rank: 4, module: module).shape
        let weight = try weights.require("proj.weight", shape: [shape[0], shape[1], p, p], module: module)
        let bias = try weights.require("proj.bias", shape: [shape[0]], module: module)
        self.init(weight: weight, bias: bias)
    }

    /// The token grid (rows ⌊H/p⌋, columns ⌊W/p⌋) for an image of the given size.
    public func gridSize(height: Int, width: Int) -> (rows: Int, columns: Int) {
        (height / patchSize, width / patchSize)
    }

    /// Embeds every patch of `x`.
    ///
    /// Shape: x [B, C, H, W] -> [B, N, D].
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` is not
    ///   [B, C, H, W] with H, W ≥ p.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let (c, p, d) = (inputChannels, patchSize, embeddingDimension)
        guard x.rank == 4, x.shape[1] == c, x.shape[2] >= p, x.shape[3] >= p else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(c), H, W] with H, W ≥ \(p)", got: x.shape)
        }
        let (b, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let (rows, columns) = gridSize(height: h, width: w)
        let n = rows * columns
        let patchLength = c * p * p
        guard b > 0 else { return Tensor(shape: [0, n, d]) }
        // im2col: [B, C, H, W] -> [B·N, C·p·p], one patch per row in (c, ky, kx) order. Every
        // element is written (whole patches only), so the buffer starts uninitialised.
        let patches = [Float](unsafeUninitializedCapacity: b * n * patchLength) { columnsBuffer, initialized in
            x.storage.withUnsafeBufferPointer { image in
                let source = image.baseAddress!, destination = columnsBuffer.baseAddress!
                for batch in 0..<b {
                    for channel in 0..<c {
                        for gy in 0..<rows {
                            for ky in 0..<p {
                                let line = source + ((batch * c + channel) * h + gy * p + ky) * w
                                let patchRow = destination + ((batch * rows + gy) * columns) * patchLength
                                    + (channel * p + ky) * p
                                for gx in 0..<columns {
                                    (patchRow + gx * patchLength).update(from: line + gx * p, count: p)
                                }
                            }
                        }
                    }
                }
            }
            initialized = b * n * patchLength
        }
        // [B·N, C·p·p] · [D, C·p·p]ᵀ + b -> [B, N, D]; the product writes every element of C.
        let storage = [Float](unsafeUninitializedCapacity: b * n * d) { out, initialized in
            patches.withUnsafeBufferPointer { rowsBuffer in
                flattened.apply(rows: b * n, input: rowsBuffer.baseAddress!, inputStride: patchLength,
                                output: out.baseAddress!, outputStride: d)
            }
            initialized = b * n * d
        }
        return Tensor(shape: [b, n, d], storage: storage)
    }
}
