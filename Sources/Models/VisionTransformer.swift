import Attention
import TensorCore

/// A whole Vision Transformer: patch embedding, class and register tokens, learned absolute
/// position embeddings, pre-norm blocks, final norm, pooling and the classifier head.
///
/// Dosovitskiy et al., "An Image Is Worth 16x16 Words" (ICLR 2021); follows timm's
/// `vision_transformer.VisionTransformer` with `dynamic_img_size=True` (`forward_features`,
/// then `forward_head`); transformers' ViT, DeiT and DINOv2 models are loaded into the same
/// structure (``TransformersCheckpoint``). Any image whose sides are at least one patch runs:
/// the position embeddings are resampled to its grid as the checkpoint's library does
/// (``PositionEmbeddingResampling``).
///
/// Shape: images [B, C, H, W] -> output [B, T, D] (T = prefix tokens + ⌊H/p⌋·⌊W/p⌋, in the
/// order class, registers, patches row by row), logits [B, K], attention [B, heads, T, T]
/// per block.
///
/// Tensors (timm names): `patch_embed.proj.{weight,bias}`, `cls_token` [1,1,D], `reg_token`
/// [1,R,D], `pos_embed` [1,L,D], `blocks.<i>.…` (``TransformerBlock``), `norm.{weight,bias}`,
/// `fc_norm.{weight,bias}`, `head.{weight,bias}`.
public struct VisionTransformer: Sendable {
    public let configuration: ViTConfiguration
    public let patchEmbedding: PatchEmbedding
    /// Shape: [D], or nil.
    public let classToken: Tensor?
    /// Shape: [R, D], or nil.
    public let registerTokens: Tensor?
    /// Shape: [positioned prefix tokens + grid rows·columns, D].
    public let positionEmbedding: Tensor
    public let blocks: [TransformerBlock]
    /// After the last block, or nil (`final_norm: false`, or average pooling with `fc_norm`).
    public let norm: LayerNorm?
    /// After pooling (timm `fc_norm`), or nil.
    public let poolNorm: LayerNorm?
    /// The classifier: weight [K, D], bias [K]; nil without a head.
    public let head: Linear?

    /// What a forward pass returns.
    public struct Result: Sendable {
        /// The final normalised tokens. Shape: [B, T, D] ([B, 1, D] with ``Readout/classToken``).
        public var output: Tensor
        /// Shape: [B, K], nil without a head.
        public var logits: Tensor?
        /// One [B, heads, T, T] per block (empty unless captured; the last [B, heads, 1, T]
        /// with ``Readout/classToken``).
        public var attention: [Tensor]
    }

    /// Loads the model from tensors in timm's names, recording the names read in `weights`.
    ///
    /// - Throws: ``AttentionError/missingTensor(name:module:)`` or
    ///   ``AttentionError/shapeMismatch(name:expected:got:)`` naming the tensor.
    public init(loading weights: inout WeightSet, configuration c: ViTConfiguration, module: String) throws {
        configuration = c
        let d = c.dimension
        let p = c.patchSize
        let projection = try weights.require("patch_embed.proj.weight", shape: [d, c.inputChannels, p, p], module: module)
        let bias = try weights.require("patch_embed.proj.bias", shape: [d], module: module)
        patchEmbedding = PatchEmbedding(weight: projection, bias: bias)
        classToken = c.classToken
            ? try weights.require("cls_token", shape: [1, 1, d], module: module).reshaped([d]) : nil
        registerTokens = c.registerTokens > 0
            ? try weights.require("reg_token", shape: [1, c.registerTokens, d], module: module)
                .reshaped([c.registerTokens, d]) : nil
        let length = c.positionedPrefixTokens + c.positionGrid.count
        positionEmbedding = try weights.require("pos_embed", shape: [1, length, d], module: module).reshaped([length, d])
        blocks = try (0..<c.depth).map { i in
            try TransformerBlock(loading: &weights, prefix: "blocks.\(i).", configuration: c, module: module)
        }
        func layerNorm(_ name: String) throws -> LayerNorm {
            LayerNorm(weight: try weights.require(name + ".weight", shape: [d], module: module),
                      bias: try weights.require(name + ".bias", shape: [d], module: module),
                      epsilon: c.layerNormEpsilon)
        }
        norm = c.finalNorm ? try layerNorm("norm") : nil
        poolNorm = c.poolNorm ? try layerNorm("fc_norm") : nil
        head = c.numClasses > 0
            ? try Linear(loading: &weights, prefix: "head", inputFeatures: d, outputFeatures: c.numClasses,
                         bias: .required, module: module) : nil
    }

    /// The position embeddings for a grid: those of the positioned prefix tokens, and the
    /// patch grid resampled when it differs from the trained one.
    ///
    /// Shape: -> prefix [positioned prefix tokens, D], patches [rows·columns, D].
    public func positionEmbeddings(for grid: ViTConfiguration.Grid) -> (prefix: Tensor, patches: Tensor) {
        let (k, d) = (configuration.positionedPrefixTokens, configuration.dimension)
        let storage = positionEmbedding.storage
        let prefix = Tensor(shape: [k, d], storage: Array(storage[0..<(k * d)]))
        let trained = Tensor(shape: [configuration.positionGrid.count, d], storage: Array(storage[(k * d)...]))
        let from = configuration.positionGrid
        let patches = configuration.resampling.resample(trained, from: (from.rows, from.columns),
                                                        to: (grid.rows, grid.columns))
        return (prefix, patches)
    }

    /// Which tokens a forward pass carries through the last block.
    public enum Readout: Sendable, Equatable {
        /// Every token: `output` [B, T, D], the last block's attention [B, heads, T, T].
        case allTokens
        /// The class token alone (``readsClassTokenAlone``): the last block attends only the
        /// class token's query, so `output` is [B, 1, D] and the last block's attention
        /// [B, heads, 1, T], its row 0; the logits are those of the whole pass.
        case classToken
    }

    /// Whether the class token alone determines the logits and the class token's maps, so
    /// that ``Readout/classToken`` applies: the model has a class token and pools by it (or
    /// has no head).
    public var readsClassTokenAlone: Bool {
        configuration.classToken && (head == nil || configuration.pooling == .token)
    }

    /// Runs the model on normalised images.
    ///
    /// Shape: images [B, C, H, W] -> ``Result``; `capture` `.full` keeps every block's
    /// attention, `.none` none; `readout` `.classToken` (only where
    /// ``readsClassTokenAlone``) carries the class token alone through the last block.
    /// - Throws: ``ModelError/imageSmallerThanPatch(height:width:patchSize:)``,
    ///   ``AttentionError/inputShape(name:expected:got:)`` for a wrong rank or channel count.
    public func callAsFunction(_ images: Tensor, capture: AttentionCapture = .full,
                               readout: Readout = .allTokens) throws -> Result {
        precondition(readout == .allTokens || readsClassTokenAlone,
                     "the class token alone does not determine this model's output")
        let c = configuration
        let (p, d) = (c.patchSize, c.dimension)
        guard images.rank == 4, images.shape[1] == c.inputChannels else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(c.inputChannels), H, W]", got: images.shape)
        }
        let (b, h, w) = (images.shape[0], images.shape[2], images.shape[3])
        guard h >= p, w >= p else { throw ModelError.imageSmallerThanPatch(height: h, width: w, patchSize: p) }
        let grid = ViTConfiguration.Grid(rows: h / p, columns: w / p)
        let patches = try patchEmbedding(images)  // [B, N, D]
        let (prefixPositions, patchPositions) = positionEmbeddings(for: grid)
        let (prefix, n) = (c.prefixTokens, grid.count)
        let t = prefix + n
        // [B, N, D] -> [B, T, D]: class, registers, patches, each plus its position embedding.
        var x = Tensor(shape: [b, t, d])
        x.storage.withUnsafeMutableBufferPointer { tokens in
            for batch in 0..<b {
                var row = batch * t * d
                var prefixVectors: [ArraySlice<Float>] = []
                if let classToken { prefixVectors.append(classToken.storage[...]) }
                if let registerTokens {
                    for r in 0..<c.registerTokens { prefixVectors.append(registerTokens.storage[(r * d)..<((r + 1) * d)]) }
                }
                for (j, vector) in prefixVectors.enumerated() {
                    for k in 0..<d {
                        let position = j < c.positionedPrefixTokens ? prefixPositions.storage[j * d + k] : 0
                        tokens[row + k] = vector[vector.startIndex + k] + position
                    }
                    row += d
                }
                let source = batch * n * d
                for i in 0..<(n * d) { tokens[row + i] = patches.storage[source + i] + patchPositions.storage[i] }
            }
        }
        var maps: [Tensor] = []
        for (i, block) in blocks.enumerated() {
            if readout == .classToken && i == blocks.count - 1 {
                let (lead, map) = try block.leadingRows(x, count: 1, keepWeights: capture != .none)
                x = lead
                if let map { maps.append(map) }
            } else if let map = try block(&x, capture: capture) {
                maps.append(map)
            }
        }
        if let norm { x = norm(x) }
        let kept = x.shape[1]  // T, or 1 with the class token alone
        guard let head else { return Result(output: x, logits: nil, attention: maps) }
        // [B, T, D] -> [B, D]
        var pooled = Tensor(shape: [b, d])
        for batch in 0..<b {
            let base = batch * kept * d
            switch c.pooling {
            case .token:
                for k in 0..<d { pooled.storage[batch * d + k] = x.storage[base + k] }
            case .average:
                for k in 0..<d {
                    var sum: Float = 0
                    for token in prefix..<kept { sum += x.storage[base + token * d + k] }
                    pooled.storage[batch * d + k] = sum / Float(max(n, 1))
                }
            }
        }
        if let poolNorm { pooled = poolNorm(pooled) }
        return Result(output: x, logits: head(pooled), attention: maps)
    }
}
