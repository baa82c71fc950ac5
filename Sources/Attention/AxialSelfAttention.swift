import TensorCore

/// The multi-head self-attention that axial attention applies along one axis.
///
/// Follows `SelfAttention` of lucidrains' axial-attention package: `q = x·W_qᵀ`,
/// `[k, v] = x·W_kvᵀ` (both without bias, hidden size `heads·headDimension`), per head
/// `softmax(q·kᵀ · headDimension^-0.5)·v` (the scale multiplies the product), heads merged,
/// then `to_out` with bias back to C channels. There is no residual connection.
///
/// Shape: tokens of C channels -> C channels; `toQuery` [heads·e, C], `toKeyValue`
/// [2·heads·e, C], `toOutput` [C, heads·e] + [C], where e = `headDimension`.
public struct AxialSelfAttention: Sendable {
    /// Axis of a [B, C, H, W] grid along which the tokens of one sequence lie.
    public enum Axis: Sendable {
        /// Sequences are columns: tokens (0..<H, x), one sequence per (b, x).
        case height
        /// Sequences are rows: tokens (y, 0..<W), one sequence per (b, y).
        case width
    }

    /// `to_q`. Shape: weight [heads·e, C], no bias.
    public let toQuery: Linear
    /// `to_kv` (keys in the first half of the outputs, values in the second).
    /// Shape: weight [2·heads·e, C], no bias.
    public let toKeyValue: Linear
    /// `to_out`. Shape: weight [C, heads·e], bias [C].
    public let toOutput: Linear
    /// Number of heads.
    public let heads: Int
    /// Channels per head, e.
    public let headDimension: Int

    /// Hidden size heads·e.
    public var hiddenDimension: Int { heads * headDimension }
    /// Channels C.
    public var dimension: Int { toOutput.outputFeatures }
    /// The factor multiplying q·kᵀ, `headDimension^-0.5`.
    public var scale: Float { Float(1 / Double(headDimension).squareRoot()) }

    /// A layer from its three projections; sizes are preconditions.
    public init(toQuery: Linear, toKeyValue: Linear, toOutput: Linear, heads: Int) {
        let hidden = toQuery.outputFeatures
        precondition(heads >= 1 && hidden % heads == 0, "hidden size \(hidden) is not a multiple of heads \(heads)")
        precondition(toKeyValue.outputFeatures == 2 * hidden && toKeyValue.inputFeatures == toQuery.inputFeatures,
                     "to_kv must be [\(2 * hidden), \(toQuery.inputFeatures)], got \(toKeyValue.weight.shape)")
        precondition(toOutput.weight.shape == [toQuery.inputFeatures, hidden],
                     "to_out must be [\(toQuery.inputFeatures), \(hidden)], got \(toOutput.weight.shape)")
        self.toQuery = toQuery
        self.toKeyValue = toKeyValue
        self.toOutput = toOutput
        self.heads = heads
        self.headDimension = hidden / heads
    }

    /// Loads `<prefix>.to_q.weight`, `<prefix>.to_kv.weight`, `<prefix>.to_out.{weight,bias}`.
    init(loading weights: inout WeightSet, prefix: String, dimension: Int, heads: Int, headDimension: Int,
         module: String) throws {
        let hidden = heads * headDimension
        self.init(
            toQuery: try Linear(loading: &weights, prefix: prefix + ".to_q", inputFeatures: dimension,
                                outputFeatures: hidden, bias: .absent, module: module),
            toKeyValue: try Linear(loading: &weights, prefix: prefix + ".to_kv", inputFeatures: dimension,
                                   outputFeatures: 2 * hidden, bias: .absent, module: module),
            toOutput: try Linear(loading: &weights, prefix: prefix + ".to_out", inputFeatures: hidden,
                                 outputFeatures: dimension, bias: .required, module: module),
            heads: heads)
    }

    /// Where one axis's attention weights go, for the whole batch.
    struct CaptureBuffer {
        /// Shape: full [B, S, heads, L, L] (S sequences of length L per image) or
        /// queries [B, heads, Q, L].
        var base: UnsafeMutablePointer<Float>
        /// Query pixels y·W + x, or `nil` for full maps.
        var queries: [Int]?
    }

    /// How a [B, C, H, W] grid lies in memory.
    enum Layout {
        /// [B, H·W, C]: the C channels of a pixel are contiguous.
        case pixelMajor
        /// [B, C, H·W]: the NCHW boundary layout.
        case channelMajor
    }

    /// Attends along `axis` and writes (or adds) the result; the projections read and write
    /// either layout directly through the GEMM's transpose flags.
    ///
    /// Shape: input [B, C, H, W] in `inputLayout` -> output [B, C, H, W] in `outputLayout`.
    func apply(_ input: UnsafePointer<Float>, layout inputLayout: Layout, batch b: Int, height h: Int, width w: Int,
               axis: Axis, into output: UnsafeMutablePointer<Float>, layout outputLayout: Layout, accumulate: Bool,
               capture: CaptureBuffer?) {
        let (c, d, e) = (dimension, hiddenDimension, headDimension)
        let pixels = b * h * w
        guard pixels > 0 else { return }
        // [B·H·W, C] -> q [B·H·W, d], kv [B·H·W, 2d] (k in columns 0..<d, v in d..<2d).
        // Every element is written before it is read (projections fill or zero their rows first,
        // each head writes its columns of `merged`), so the buffers start uninitialised.
        var query = [Float](unsafeUninitializedCapacity: pixels * d) { $1 = pixels * d }
        var keyValue = [Float](unsafeUninitializedCapacity: pixels * 2 * d) { $1 = pixels * 2 * d }
        var merged = [Float](unsafeUninitializedCapacity: pixels * d) { $1 = pixels * d }
        // Sequences: `count` per image, `length` tokens each, `tokenStep` pixels apart,
        // sequence s of image i starting at pixel `i·H·W + s·sequenceStep`.
        let (count, length, tokenStep, sequenceStep) = axis == .height ? (w, h, w, 1) : (h, w, 1, w)
        // Query pixel y·W + x lies in sequence x at row y (height) or sequence y at row x (width).
        var rowsBySequence = [[Int]](repeating: [], count: count)
        var slotsBySequence = [[Int]](repeating: [], count: count)
        for (slot, pixel) in (capture?.queries ?? []).enumerated() {
            let (y, x) = (pixel / w, pixel % w)
            let (sequence, row) = axis == .height ? (x, y) : (y, x)
            rowsBySequence[sequence].append(row)
            slotsBySequence[sequence].append(slot)
        }
        let queryCount = capture?.queries?.count ?? 0
        let scale = self.scale
        query.withUnsafeMutableBufferPointer { qBuffer in
            keyValue.withUnsafeMutableBufferPointer { kvBuffer in
                merged.withUnsafeMutableBufferPointer { mergedBuffer in
                    let (q, kv, out) = (qBuffer.baseAddress!, kvBuffer.baseAddress!, mergedBuffer.baseAddress!)
                    switch inputLayout {
                    case .pixelMajor:
                        toQuery.apply(rows: pixels, input: input, inputStride: c, output: q, outputStride: d)
                        toKeyValue.apply(rows: pixels, input: input, inputStride: c, output: kv, outputStride: 2 * d)
                    case .channelMajor:
                        // Image i: [C, H·W] read transposed.
                        for image in 0..<b {
                            let x = input + image * c * h * w
                            toQuery.apply(channelMajorRows: h * w, input: x, inputStride: h * w,
                                          output: q + image * h * w * d, outputStride: d)
                            toKeyValue.apply(channelMajorRows: h * w, input: x, inputStride: h * w,
                                             output: kv + image * h * w * 2 * d, outputStride: 2 * d)
                        }
                    }
                    // Short sequences make many small single-threaded GEMMs: spread the sequences
                    // over the workers (disjoint outputs). Long ones leave threading to BLAS.
                    let minimumPerWorker = length <= 128 ? 1 : Int.max
                    Parallel.forEachRange(b * count, minimumPerWorker: minimumPerWorker) { range in
                        var scratch = [Float](repeating: 0, count: ScaledDotProductAttention.scratchCount(
                            length: length, heads: heads, headDimension: e, full: false))
                        scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                            for index in range {
                                let (image, sequence) = index.quotientAndRemainder(dividingBy: count)
                                let first = image * h * w + sequence * sequenceStep
                                let target: ScaledDotProductAttention.Capture
                                switch capture {
                                case nil:
                                    target = .none
                                case let .some(buffer) where buffer.queries == nil:
                                    // [B, S, heads, L, L]
                                    target = .full(base: buffer.base + ((image * count + sequence) * heads) * length * length,
                                                   headStride: length * length)
                                case let .some(buffer):
                                    // [B, heads, Q, L]
                                    target = rowsBySequence[sequence].isEmpty ? .none : .queries(
                                        rows: rowsBySequence[sequence], slots: slotsBySequence[sequence],
                                        base: buffer.base + image * heads * queryCount * length,
                                        headStride: queryCount * length)
                                }
                                ScaledDotProductAttention.attend(
                                    q: q + first * d, qStride: tokenStep * d,
                                    k: kv + first * 2 * d, kStride: tokenStep * 2 * d,
                                    v: kv + first * 2 * d + d, vStride: tokenStep * 2 * d,
                                    out: out + first * d, outStride: tokenStep * d,
                                    length: length, heads: heads, headDimension: e, scoreScale: scale,
                                    scratch: scratchBuffer.baseAddress!, capture: target)
                            }
                        }
                    }
                    switch outputLayout {
                    case .pixelMajor:
                        // [B·H·W, d] -> [B·H·W, C]
                        toOutput.apply(rows: pixels, input: out, inputStride: d, output: output, outputStride: c,
                                       accumulate: accumulate)
                    case .channelMajor:
                        // Image i: [H·W, d] -> [C, H·W]
                        for image in 0..<b {
                            toOutput.apply(rows: h * w, input: out + image * h * w * d, inputStride: d,
                                           channelMajorOutput: output + image * c * h * w, outputStride: h * w,
                                           accumulate: accumulate)
                        }
                    }
                }
            }
        }
    }
}
