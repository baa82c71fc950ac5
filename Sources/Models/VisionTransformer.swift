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
    ///   ``AttentionError/inputShape(name:expected:got:)`` for a wrong rank or channel count,
    ///   ``ModelError/passTooLarge(tokens:bytes:memory:)`` for more tokens than the machine's
    ///   memory holds the pass of.
    public func callAsFunction(_ images: Tensor, capture: AttentionCapture = .full,
                               readout: Readout = .allTokens) throws -> Result {
        precondition(readout == .allTokens || readsClassTokenAlone,
                     "the class token alone does not determine this model's output")
        var x = try tokens(images)
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        try checkPassFits(lengths: Array(repeating: t, count: b), keepMaps: capture == .full)
        var maps: [Tensor] = []
        for (i, block) in blocks.enumerated() {
            if readout == .classToken && i == blocks.count - 1 {
                let (first, rows) = try block.firstRows(x, lengths: Array(repeating: t, count: b), keepWeights: capture != .none)
                x = first.reshaped([b, 1, d])
                if let heads = rows.first?.shape[1] {
                    maps.append(Tensor(shape: [b, heads, 1, t], storage: Array(rows.map(\.storage).joined())))
                }
            } else if let map = try block(&x, capture: capture) {
                maps.append(map)
            }
        }
        if let norm { x = norm(x) }
        let logits = self.logits(x, lengths: Array(repeating: x.shape[1], count: b), patches: Array(repeating: t - configuration.prefixTokens, count: b))
        return Result(output: x, logits: logits, attention: maps)
    }

    /// Several images, of any sizes, in one pass (a ragged batch): their tokens stacked one
    /// after another for every layer's products, so that each weight is packed once for all
    /// of them, and attention within each image. Each result is the image's own pass (up to
    /// the float rounding of products over other rows).
    ///
    /// Shape: images, each [1, C, Hᵢ, Wᵢ] -> one ``Result`` per image: output [1, Tᵢ, D]
    /// ([1, 1, D] with ``Readout/classToken``), logits [1, K], attention [1, heads, Tᵢ, Tᵢ]
    /// per block with `keepWeights` (the last [1, heads, 1, Tᵢ] with the class-token readout).
    /// - Throws: as ``callAsFunction(_:capture:readout:)`` for each image.
    public func callAsFunction(images: [Tensor], keepWeights: Bool = true, readout: Readout = .allTokens) throws -> [Result] {
        precondition(readout == .allTokens || readsClassTokenAlone,
                     "the class token alone does not determine this model's output")
        let embedded = try images.map { image in
            guard image.rank == 4, image.shape[0] == 1 else {
                throw AttentionError.inputShape(name: "input", expected: "[1, \(configuration.inputChannels), H, W]", got: image.shape)
            }
            return try tokens(image)
        }
        let d = configuration.dimension
        let lengths = embedded.map { $0.shape[1] }
        try checkPassFits(lengths: lengths, keepMaps: keepWeights)
        var x = Tensor(shape: [lengths.reduce(0, +), d], storage: Array(embedded.map(\.storage).joined()))
        var maps = [[Tensor]](repeating: [], count: images.count)
        var kept = lengths
        for (i, block) in blocks.enumerated() {
            let blockMaps: [Tensor]
            if readout == .classToken && i == blocks.count - 1 {
                (x, blockMaps) = try block.firstRows(x, lengths: lengths, keepWeights: keepWeights)
                kept = Array(repeating: 1, count: images.count)
            } else {
                blockMaps = try block(&x, lengths: lengths, keepWeights: keepWeights)
            }
            for (image, map) in blockMaps.enumerated() { maps[image].append(map) }
        }
        if let norm { x = norm(x) }
        let logits = self.logits(x, lengths: kept, patches: lengths.map { $0 - configuration.prefixTokens })
        var results: [Result] = []
        var start = 0
        for (image, n) in kept.enumerated() {
            let output = Tensor(shape: [1, n, d], storage: Array(x.storage[(start * d)..<((start + n) * d)]))
            let row = logits.map { l in
                let k = l.shape[1]
                return Tensor(shape: [1, k], storage: Array(l.storage[(image * k)..<((image + 1) * k)]))
            }
            results.append(Result(output: output, logits: row, attention: maps[image]))
            start += n
        }
        return results
    }

    /// The tokens that enter the first block: class, registers, patches, each plus its
    /// position embedding.
    ///
    /// Shape: images [B, C, H, W] -> [B, T, D].
    /// - Throws: ``ModelError/imageSmallerThanPatch(height:width:patchSize:)``,
    ///   ``AttentionError/inputShape(name:expected:got:)`` for a wrong rank or channel count.
    func tokens(_ images: Tensor) throws -> Tensor {
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
        // [B, N, D] -> [B, T, D]
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
        return x
    }

    /// The classifier's logits of each sequence of the final tokens (nil without a head):
    /// its first token (token pooling), or the mean of its patch tokens (average pooling),
    /// then `fc_norm` and the head.
    ///
    /// Shape: x rows of D, sequences of `lengths` rows one after another (1 when only the
    /// class token was kept), `patches` patch tokens each -> [S, K].
    func logits(_ x: Tensor, lengths: [Int], patches: [Int]) -> Tensor? {
        guard let head else { return nil }
        let (c, d) = (configuration, configuration.dimension)
        var pooled = Tensor(shape: [lengths.count, d])
        var start = 0
        for (i, length) in lengths.enumerated() {
            let base = start * d
            switch c.pooling {
            case .token:
                for k in 0..<d { pooled.storage[i * d + k] = x.storage[base + k] }
            case .average:
                for k in 0..<d {
                    var sum: Float = 0
                    for token in c.prefixTokens..<length { sum += x.storage[base + token * d + k] }
                    pooled.storage[i * d + k] = sum / Float(max(patches[i], 1))
                }
            }
            start += length
        }
        if let poolNorm { pooled = poolNorm(pooled) }
        return head(pooled)
    }
}
