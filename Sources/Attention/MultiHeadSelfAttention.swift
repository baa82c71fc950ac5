import TensorCore

/// Multi-head self-attention of the Vision Transformer.
///
/// Dosovitskiy et al., "An Image Is Worth 16x16 Words" (ICLR 2021); follows timm's
/// `vision_transformer.Attention` (no q/k norm, no dropout at inference):
/// `qkv = x·W_qkvᵀ (+ b)` split into q, k, v of `numHeads` heads of `C / numHeads`
/// channels; `q ← q · headDimension^-0.5` (scaled before the product, as timm's unfused
/// path does); `A = softmax(q·kᵀ)`; `out = proj(A·v)` with heads merged back into C.
///
/// Shape: input [B, N, C] -> output [B, N, C], attention [B, heads, N, N] (or
/// [B, heads, Q, N] for Q captured queries); `qkv` [3C, C] (+ [3C]), `projection` [C, C] + [C].
///
/// Model files (Contract 1, module `self_attention`): `qkv.weight`, optional `qkv.bias`,
/// `proj.weight`, `proj.bias`; metadata `num_heads`.
public struct MultiHeadSelfAttention: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "self_attention"

    /// The joint query/key/value projection. Shape: weight [3C, C], bias [3C] or none.
    public let qkv: Linear
    /// The output projection. Shape: weight [C, C], bias [C].
    public let projection: Linear
    /// Number of heads; divides C.
    public let numHeads: Int

    /// Embedding dimension C.
    public var dimension: Int { projection.outputFeatures }
    /// Channels per head, C / numHeads.
    public var headDimension: Int { dimension / numHeads }
    /// The factor applied to q, `headDimension^-0.5` (timm's `self.scale`).
    public var scale: Float { Float(1 / Double(headDimension).squareRoot()) }

    /// What a forward pass returns.
    public struct Result: Sendable {
        /// Shape: [B, N, C].
        public var output: Tensor
        /// Softmax weights: [B, heads, N, N] for `.full`, [B, heads, Q, N] for Q queries,
        /// `nil` for `.none`.
        public var attention: Tensor?
    }

    /// A layer from its projections.
    ///
    /// - Throws: ``AttentionError/invalidHyperparameter(name:value:reason:)`` when
    ///   `numHeads` does not divide C, ``AttentionError/shapeMismatch(name:expected:got:)``
    ///   when the projections disagree on C.
    public init(qkv: Linear, projection: Linear, numHeads: Int) throws {
        let c = projection.outputFeatures
        guard numHeads >= 1, c % numHeads == 0 else {
            throw AttentionError.invalidHyperparameter(
                name: "num_heads", value: "\(numHeads)",
                reason: "must divide the embedding dimension \(c)")
        }
        guard qkv.weight.shape == [3 * c, c] else {
            throw AttentionError.shapeMismatch(name: "qkv.weight", expected: [3 * c, c], got: qkv.weight.shape)
        }
        guard projection.weight.shape == [c, c] else {
            throw AttentionError.shapeMismatch(name: "proj.weight", expected: [c, c], got: projection.weight.shape)
        }
        self.qkv = qkv
        self.projection = projection
        self.numHeads = numHeads
    }

    /// Loads a Contract 1 `self_attention` model.
    public init(weights: WeightSet) throws {
        var weights = weights
        try self.init(loading: &weights)
    }

    /// Loads a Contract 1 `self_attention` model, recording the names it reads in `weights`.
    public init(loading weights: inout WeightSet) throws {
        let module = Self.moduleName
        let heads = try weights.integer("num_heads", module: module)
        let c = try weights.require("proj.weight", rank: 2, module: module).shape[1]
        guard c % heads == 0 else {
            throw AttentionError.invalidHyperparameter(
                name: "num_heads", value: "\(heads)", reason: "must divide the embedding dimension \(c)")
        }
        let qkv = try Linear(loading: &weights, prefix: "qkv", inputFeatures: c, outputFeatures: 3 * c,
                             bias: .optional, module: module)
        let projection = try Linear(loading: &weights, prefix: "proj", inputFeatures: c, outputFeatures: c,
                                    bias: .required, module: module)
        try self.init(qkv: qkv, projection: projection, numHeads: heads)
    }

    /// Runs the layer on `x`, keeping the attention weights that `capture` asks for.
    ///
    /// Shape: x [B, N, C] -> ``Result``.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` is not
    ///   [B, N, C]; ``AttentionError/queryOutOfRange(position:count:)``.
    public func callAsFunction(_ x: Tensor, capture: AttentionCapture = .none) throws -> Result {
        let c = dimension
        guard x.rank == 3, x.shape[2] == c else {
            throw AttentionError.inputShape(name: "input", expected: "[B, N, \(c)]", got: x.shape)
        }
        let (b, n) = (x.shape[0], x.shape[1])
        let queries = try Self.validatedQueries(capture, count: n)
        try checkMapsFit(lengths: Array(repeating: n, count: b), capture: capture)
        let mapShape: [Int]?
        switch capture {
        case .none: mapShape = nil
        case .full: mapShape = [b, numHeads, n, n]
        case .queries: mapShape = [b, numHeads, queries.count, n]
        }
        guard b > 0, n > 0 else {
            return Result(output: Tensor(shape: x.shape), attention: mapShape.map { Tensor(shape: $0) })
        }
        let (output, maps) = attend(x.storage, lengths: Array(repeating: n, count: b), capture: capture, queries: queries)
        // The B sequences' weights one after another: [B, heads, N or Q, N].
        let attention = mapShape.map { shape in
            Tensor(shape: shape, storage: maps.count == 1 ? maps[0] : Array(maps.joined()))
        }
        return Result(output: output.reshaped([b, n, c]), attention: attention)
    }

    /// The layer over sequences of different lengths whose tokens are stacked one after
    /// another (a ragged batch: several images' tokens in one pass, so that each projection
    /// is one product over all of them), each sequence attending only to itself.
    ///
    /// Shape: x [ΣNᵢ, C] (any rank with that count and last dimension C) -> output [ΣNᵢ, C];
    /// attention one [1, heads, Nᵢ, Nᵢ] per sequence with `keepWeights`, else empty.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` does not hold ΣNᵢ
    ///   rows of C.
    public func callAsFunction(_ x: Tensor, lengths: [Int], keepWeights: Bool) throws -> (output: Tensor, attention: [Tensor]) {
        let (c, total) = (dimension, lengths.reduce(0, +))
        guard x.shape.last == c, x.count == total * c, lengths.allSatisfy({ $0 >= 1 }) else {
            throw AttentionError.inputShape(name: "input", expected: "[\(total), \(c)]", got: x.shape)
        }
        try checkMapsFit(lengths: lengths, capture: keepWeights ? .full : .none)
        let (output, maps) = attend(x.storage, lengths: lengths, capture: keepWeights ? .full : .none, queries: [])
        guard keepWeights else { return (output, []) }
        return (output, zip(lengths, maps).map { n, map in Tensor(shape: [1, numHeads, n, n], storage: map) })
    }

    /// The core of both: projections over all rows, attention per sequence.
    ///
    /// Shape: x ΣNᵢ rows of C -> output [ΣNᵢ, C]; weights, one buffer per sequence i:
    /// heads·Nᵢ·Nᵢ for `.full`, heads·Q·Nᵢ for Q `queries`, empty for `.none`.
    private func attend(_ x: [Float], lengths: [Int], capture: AttentionCapture, queries: [Int]) -> (Tensor, [[Float]]) {
        let (c, heads, e) = (dimension, numHeads, headDimension)
        let rows = lengths.reduce(0, +)
        let longest = lengths.max() ?? 0
        // [ΣN, C] -> [ΣN, 3C]: per row q (heads side by side), then k, then v.
        // Both written in full before being read (the qkv GEMM writes every row with beta 0,
        // `attend` every head's columns of every row), so they start uninitialised.
        var projected = HugePages.uninitializedFloats(rows * 3 * c)
        var merged = HugePages.uninitializedFloats(rows * c)
        let perSequence: (Int) -> Int
        switch capture {
        case .none: perSequence = { _ in 0 }
        case .full: perSequence = { heads * $0 * $0 }
        case .queries: perSequence = { heads * queries.count * $0 }
        }
        // One buffer per sequence, returned as that sequence's weights; `.full` maps get every
        // row of every head: no need to zero them first.
        var maps: [[Float]] = lengths.map { n in
            capture == .full ? HugePages.uninitializedFloats(perSequence(n)) : [Float](repeating: 0, count: perSequence(n))
        }
        // Without maps, a pass of up to 4 M weights still gets one scores block per head, as
        // `.full` does, which is faster than one block shared by the heads at this size
        // (BENCHMARKS.md, "Numbers behind the code's design notes"). Larger passes stay
        // blocked (bounded memory).
        // (The fused short-sequence kernel uses `scratch` as its own workspace: not for it.)
        let separateHeads = capture == .none && heads * longest * longest <= 1 << 22
            && !lengths.contains { ScaledDotProductAttention.usesFusedKernel(length: $0, headDimension: e) }
        let scratchCount = separateHeads
            ? heads * longest * longest
            : lengths.map {
                ScaledDotProductAttention.scratchCount(length: $0, heads: heads, headDimension: e, full: capture == .full)
            }.max() ?? 1
        // A 4 MB block for N = 1024: huge pages spare it ~1000 first-touch faults per pass.
        var scratch = HugePages.uninitializedFloats(max(1, scratchCount))
        let scale = self.scale
        x.withUnsafeBufferPointer { input in
            projected.withUnsafeMutableBufferPointer { qkvBuffer in
                let qkvBase = qkvBuffer.baseAddress!
                qkv.apply(rows: rows, input: input.baseAddress!, inputStride: c, output: qkvBase, outputStride: 3 * c)
                // q ← q · scale, on the first C columns of every row.
                for row in 0..<rows { VectorMath.scale(qkvBase + row * 3 * c, count: c, by: scale) }
                merged.withUnsafeMutableBufferPointer { mergedBuffer in
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        var start = 0
                        for (i, n) in lengths.enumerated() {
                            maps[i].withUnsafeMutableBufferPointer { mapBuffer in
                                let mapBase = mapBuffer.baseAddress   // nil when nothing is kept
                                let sequence = qkvBase + start * 3 * c
                                let target: ScaledDotProductAttention.Capture
                                switch capture {
                                case .none:
                                    target = separateHeads ? .full(base: scratchBuffer.baseAddress!, headStride: n * n) : .none
                                case .full:
                                    target = .full(base: mapBase!, headStride: n * n)
                                case .queries:
                                    target = queries.isEmpty ? .none
                                        : .queries(rows: queries, slots: Array(queries.indices), base: mapBase!,
                                                   headStride: queries.count * n)
                                }
                                // Per head: [N, e] q, k, v read with row stride 3C, output into [N, C].
                                ScaledDotProductAttention.attend(
                                    q: sequence, qStride: 3 * c, k: sequence + c, kStride: 3 * c, v: sequence + 2 * c,
                                    vStride: 3 * c, out: mergedBuffer.baseAddress! + start * c, outStride: c,
                                    length: n, heads: heads, headDimension: e, scoreScale: 1,
                                    scratch: scratchBuffer.baseAddress!, capture: target)
                            }
                            start += n
                        }
                    }
                }
            }
        }
        let output = projection(Tensor(shape: [rows, c], storage: merged))
        return (output, maps)
    }

    /// Refuses `.full` maps (heads·N² floats per sequence) that the machine's memory cannot
    /// hold, before they are allocated.
    /// - Throws: ``AttentionError/mapsTooLarge(bytes:memory:)``.
    func checkMapsFit(lengths: [Int], capture: AttentionCapture) throws {
        guard capture == .full else { return }
        let floats = Double(numHeads) * lengths.reduce(0.0) { $0 + Double($1) * Double($1) }
        guard PhysicalMemory.fits(floats: floats) else {
            throw AttentionError.mapsTooLarge(bytes: 4 * floats, memory: PhysicalMemory.bytes)
        }
    }

    static func validatedQueries(_ capture: AttentionCapture, count: Int) throws -> [Int] {
        guard case let .queries(positions) = capture else { return [] }
        for position in positions where position < 0 || position >= count {
            throw AttentionError.queryOutOfRange(position: position, count: count)
        }
        return positions
    }
}
