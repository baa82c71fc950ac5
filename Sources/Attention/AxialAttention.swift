import CVectorKernels
import TensorCore

/// Axial attention on a 2-D feature grid.
///
/// Ho et al., "Axial Attention in Multidimensional Transformers" (2019); follows lucidrains'
/// `axial_attention.AxialAttention(dim, num_dimensions=2, heads, dim_heads, dim_index=1,
/// sum_axial_out)`. Its `axial_attentions.0` permutes the input to [B, W, H, C] and attends
/// along the height (one sequence per column); `axial_attentions.1` permutes to
/// [B, H, W, C] and attends along the width (one sequence per row). With `sum_axial_out`
/// (the default) the output is `attn0(x) + attn1(x)`; otherwise `attn1(attn0(x))`. There is
/// no residual connection. `dim_heads` defaults to C / heads; like the reference, heads must
/// divide C even when `dim_heads` is given.
///
/// Heads of at most 16 channels (the usual case) run on channel-major planes: every
/// projection is one plain GEMM on the NCHW image, and `CVectorKernels_axialAttend` attends
/// along rows with the queries across the vector lanes (the height axis on transposed planes);
/// see `forwardPlanes`. Wider heads take the GEMM path of ``AxialSelfAttention``.
///
/// Shape: input [B, C, H, W] -> output [B, C, H, W]; attention along the height
/// [B, W, heads, H, H], along the width [B, H, heads, W, W] (or [B, heads, Q, H] and
/// [B, heads, Q, W] for Q captured query pixels).
///
/// Model files (Contract 1, module `axial_attention`): `axial_attentions.{0,1}.fn.to_q.weight`,
/// `….to_kv.weight`, `….to_out.weight`, `….to_out.bias`; metadata `heads`, `dim_heads`
/// (optional), `sum_axial_out` (`true`/`false`, default true).
public struct AxialAttention: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "axial_attention"

    /// `axial_attentions.0.fn`: attends along the height.
    public let heightAttention: AxialSelfAttention
    /// `axial_attentions.1.fn`: attends along the width.
    public let widthAttention: AxialSelfAttention
    /// `true`: output = attn0(x) + attn1(x); `false`: output = attn1(attn0(x)).
    public let sumAxialOut: Bool
    /// The projections arranged for the plane path, or `nil` when heads are wider than the
    /// narrow kernel runs (then each axis goes through ``AxialSelfAttention``'s GEMM path).
    let planeWeights: AxialPlaneWeights?

    /// Channels C.
    public var dimension: Int { heightAttention.dimension }
    /// Number of heads.
    public var heads: Int { heightAttention.heads }
    /// Channels per head.
    public var headDimension: Int { heightAttention.headDimension }

    /// What a forward pass returns.
    public struct Result: Sendable {
        /// Shape: [B, C, H, W].
        public var output: Tensor
        /// Softmax weights along the height: [B, W, heads, H, H] for `.full`,
        /// [B, heads, Q, H] for Q queries (query (y, x) over column x), `nil` for `.none`.
        public var heightAttention: Tensor?
        /// Softmax weights along the width: [B, H, heads, W, W] for `.full`,
        /// [B, heads, Q, W] for Q queries (query (y, x) over row y), `nil` for `.none`.
        public var widthAttention: Tensor?
    }

    /// A layer from its two axis attentions.
    ///
    /// - Throws: ``AttentionError/invalidHyperparameter(name:value:reason:)`` when heads do
    ///   not divide C or the two attentions disagree.
    public init(heightAttention: AxialSelfAttention, widthAttention: AxialSelfAttention, sumAxialOut: Bool = true) throws {
        let c = heightAttention.dimension
        guard c % heightAttention.heads == 0 else {
            throw AttentionError.invalidHyperparameter(
                name: "heads", value: "\(heightAttention.heads)", reason: "must divide the dimension \(c)")
        }
        guard widthAttention.dimension == c, widthAttention.heads == heightAttention.heads,
              widthAttention.headDimension == heightAttention.headDimension else {
            throw AttentionError.shapeMismatch(
                name: "axial_attentions.1.fn.to_q.weight",
                expected: [heightAttention.hiddenDimension, c], got: widthAttention.toQuery.weight.shape)
        }
        self.heightAttention = heightAttention
        self.widthAttention = widthAttention
        self.sumAxialOut = sumAxialOut
        self.planeWeights = AxialKernel.supports(headDimension: heightAttention.headDimension)
            ? AxialPlaneWeights(height: heightAttention, width: widthAttention) : nil
    }

    /// Loads a Contract 1 `axial_attention` model.
    public init(weights: WeightSet) throws {
        var weights = weights
        try self.init(loading: &weights)
    }

    /// Loads a Contract 1 `axial_attention` model, recording the names it reads in `weights`.
    public init(loading weights: inout WeightSet) throws {
        let module = Self.moduleName
        let heads = try weights.integer("heads", module: module)
        let c = try weights.require("axial_attentions.0.fn.to_q.weight", rank: 2, module: module).shape[1]
        guard c % heads == 0 else {
            throw AttentionError.invalidHyperparameter(
                name: "heads", value: "\(heads)", reason: "must divide the dimension \(c)")
        }
        let headDimension = try weights.optionalInteger("dim_heads") ?? c / heads
        let sum = try weights.boolean("sum_axial_out", default: true)
        let axes = try (0..<2).map { index in
            try AxialSelfAttention(loading: &weights, prefix: "axial_attentions.\(index).fn", dimension: c,
                                   heads: heads, headDimension: headDimension, module: module)
        }
        try self.init(heightAttention: axes[0], widthAttention: axes[1], sumAxialOut: sum)
    }

    /// Runs the layer on `x`, keeping the attention weights that `capture` asks for.
    ///
    /// Shape: x [B, C, H, W] -> ``Result``.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` is not
    ///   [B, C, H, W]; ``AttentionError/queryOutOfRange(position:count:)``.
    public func callAsFunction(_ x: Tensor, capture: AttentionCapture = .none) throws -> Result {
        let c = dimension
        guard x.rank == 4, x.shape[1] == c else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(c), H, W]", got: x.shape)
        }
        let (b, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let queries = try MultiHeadSelfAttention.validatedQueries(capture, count: h * w)
        let (heightShape, widthShape): ([Int]?, [Int]?)
        switch capture {
        case .none: (heightShape, widthShape) = (nil, nil)
        case .full: (heightShape, widthShape) = ([b, w, heads, h, h], [b, h, heads, w, w])
        case .queries: (heightShape, widthShape) = ([b, heads, queries.count, h], [b, heads, queries.count, w])
        }
        guard b * h * w > 0 else {
            return Result(output: x, heightAttention: heightShape.map { Tensor(shape: $0) },
                          widthAttention: widthShape.map { Tensor(shape: $0) })
        }
        // The input stays NCHW: the projections read it directly (as planes, or transposed on
        // the GEMM path) and the output projections write NCHW back.
        // Written in full before being read (the projections fill or zero their rows, `.full`
        // maps get every row of every sequence and head), so these start uninitialised: the
        // maps are 2·B·H·W·(H+W)·heads floats (33 MB for the 64×64×8-head bench).
        func uninitialised(_ count: Int) -> [Float] { HugePages.uninitializedFloats(count) }
        var result = uninitialised(x.count)
        var intermediate = uninitialised(sumAxialOut || planeWeights != nil ? 0 : x.count)
        let mapCount = { (shape: [Int]?) in shape.map(Tensor.count(of:)) ?? 0 }
        if capture == .full {
            let floats = Double(mapCount(heightShape)) + Double(mapCount(widthShape))
            guard PhysicalMemory.fits(floats: floats) else {
                throw AttentionError.mapsTooLarge(bytes: 4 * floats, memory: PhysicalMemory.bytes)
            }
        }
        var heightMaps = capture == .full ? uninitialised(mapCount(heightShape)) : [Float](repeating: 0, count: mapCount(heightShape))
        var widthMaps = capture == .full ? uninitialised(mapCount(widthShape)) : [Float](repeating: 0, count: mapCount(widthShape))
        let queryList: [Int]? = capture == .full ? nil : queries
        x.storage.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                heightMaps.withUnsafeMutableBufferPointer { heightBuffer in
                    widthMaps.withUnsafeMutableBufferPointer { widthBuffer in
                        let heightCapture = heightBuffer.baseAddress.map {
                            AxialSelfAttention.CaptureBuffer(base: $0, queries: queryList)
                        }
                        let widthCapture = widthBuffer.baseAddress.map {
                            AxialSelfAttention.CaptureBuffer(base: $0, queries: queryList)
                        }
                        if let planeWeights {
                            forwardPlanes(input.baseAddress!, batch: b, height: h, width: w, weights: planeWeights,
                                          into: output.baseAddress!, heightCapture: heightCapture,
                                          widthCapture: widthCapture)
                        } else {
                            forwardRows(input.baseAddress!, batch: b, height: h, width: w, middle: &intermediate,
                                        into: output.baseAddress!, heightCapture: heightCapture,
                                        widthCapture: widthCapture)
                        }
                    }
                }
            }
        }
        let output = Tensor(shape: x.shape, storage: result)
        return Result(output: output,
                      heightAttention: heightShape.map { Tensor(shape: $0, storage: heightMaps) },
                      widthAttention: widthShape.map { Tensor(shape: $0, storage: widthMaps) })
    }

    /// The GEMM path of wide heads: each axis through ``AxialSelfAttention/apply``, the
    /// sequential mode's middle grid pixel-major in `middle` ([B·H·W, C]).
    private func forwardRows(_ input: UnsafePointer<Float>, batch b: Int, height h: Int, width w: Int,
                             middle: inout [Float], into output: UnsafeMutablePointer<Float>,
                             heightCapture: AxialSelfAttention.CaptureBuffer?,
                             widthCapture: AxialSelfAttention.CaptureBuffer?) {
        if sumAxialOut {
            // out = attn0(x) + attn1(x)
            heightAttention.apply(input, layout: .channelMajor, batch: b, height: h, width: w, axis: .height,
                                  into: output, layout: .channelMajor, accumulate: false, capture: heightCapture)
            widthAttention.apply(input, layout: .channelMajor, batch: b, height: h, width: w, axis: .width,
                                 into: output, layout: .channelMajor, accumulate: true, capture: widthCapture)
        } else {
            // out = attn1(attn0(x))
            middle.withUnsafeMutableBufferPointer { grid in
                heightAttention.apply(input, layout: .channelMajor, batch: b, height: h, width: w, axis: .height,
                                      into: grid.baseAddress!, layout: .pixelMajor, accumulate: false,
                                      capture: heightCapture)
                widthAttention.apply(grid.baseAddress!, layout: .pixelMajor, batch: b, height: h, width: w,
                                     axis: .width, into: output, layout: .channelMajor, accumulate: false,
                                     capture: widthCapture)
            }
        }
    }

    /// The plane path of narrow heads, image by image: q, k, v of each axis as channel-major
    /// planes from one GEMM (`W·X`), the kernel along each axis into merged head planes, and
    /// the output projection `W_out·M + b` written straight into NCHW. The kernel always runs
    /// along rows (every key a broadcast from L1): the height axis runs on transposed planes,
    /// from the projection of the transposed input, and its merged heads are transposed back.
    /// In the summed mode both axes share the output GEMM ([W_out0 | W_out1]·[M0; M1] +
    /// b0 + b1); in the sequential mode the middle grid is NCHW too. Everything lives in
    /// pooled scratch (no fresh pages per pass).
    ///
    /// Shape: input [B, C, H, W] -> output [B, C, H, W].
    private func forwardPlanes(_ input: UnsafePointer<Float>, batch b: Int, height h: Int, width w: Int,
                               weights: AxialPlaneWeights, into output: UnsafeMutablePointer<Float>,
                               heightCapture: AxialSelfAttention.CaptureBuffer?,
                               widthCapture: AxialSelfAttention.CaptureBuffer?) {
        let (c, d, e) = (dimension, heightAttention.hiddenDimension, headDimension)
        let pixels = h * w
        let stride = AxialKernel.planeStride(pixels: pixels)
        // planes [3d] | merged [2d or d] | transposed input or middle grid [C] | transposed heads [d]
        let mergedRows = sumAxialOut ? 2 * d : d
        let count = (3 * d + mergedRows + c + d) * stride
        ScratchPool.shared.withFloats(count) { scratch in
            let planes = scratch, merged = planes + 3 * d * stride
            let grid = merged + mergedRows * stride, transposedHeads = grid + c * stride
            weights.projection.withUnsafeBufferPointer { projection in
                let (heightWeights, widthWeights) = (projection.baseAddress!, projection.baseAddress! + 3 * d * c)
                for image in 0..<b {
                    let x = input + image * c * pixels, y = output + image * c * pixels
                    // Height: columns of x become rows of the transposed grid (W rows of H).
                    func attendHeight(_ source: UnsafePointer<Float>, sourceStride: Int, into target: UnsafeMutablePointer<Float>) {
                        Self.transpose(source, stride: sourceStride, planes: c, rows: h, columns: w, into: grid,
                                       stride: stride)
                        Self.project(heightWeights, rows: 3 * d, columns: c, input: grid, inputStride: stride,
                                     pixels: pixels, into: planes, stride: stride)
                        attend(rows: w, length: h, capture: heightCapture, into: transposedHeads) { pixel in
                            let (row, column) = pixel.quotientAndRemainder(dividingBy: w)
                            return column * h + row
                        }
                        Self.transpose(transposedHeads, stride: stride, planes: d, rows: w, columns: h, into: target,
                                       stride: stride)
                    }
                    func attendWidth(_ source: UnsafePointer<Float>, sourceStride: Int, into target: UnsafeMutablePointer<Float>) {
                        Self.project(widthWeights, rows: 3 * d, columns: c, input: source, inputStride: sourceStride,
                                     pixels: pixels, into: planes, stride: stride)
                        attend(rows: h, length: w, capture: widthCapture, into: target) { $0 }
                    }
                    // The kernel along the `rows` rows of `length` tokens of the grid in `planes`;
                    // `position` maps a query pixel y·W + x to its index in that grid.
                    func attend(rows: Int, length: Int, capture: AxialSelfAttention.CaptureBuffer?,
                                into target: UnsafeMutablePointer<Float>, position: (Int) -> Int) {
                        let (q, k, v) = (planes, planes + d * stride, planes + 2 * d * stride)
                        var full: UnsafeMutablePointer<Float>?
                        if let capture, capture.queries == nil {
                            full = capture.base + image * rows * heads * length * length
                        }
                        AxialKernel.attend(q: q, k: k, v: v, planeStride: stride, out: target, outStride: stride,
                                           rows: rows, length: length, heads: heads, headDimension: e, scores: full)
                        if let capture, let queries = capture.queries, !queries.isEmpty {
                            AxialKernel.captureQueries(queries.map(position), q: q, k: k, v: v, planeStride: stride,
                                                       out: target, outStride: stride, length: length,
                                                       heads: heads, headDimension: e,
                                                       base: capture.base + image * heads * queries.count * length,
                                                       headStride: queries.count * length)
                        }
                    }
                    if sumAxialOut {
                        attendHeight(x, sourceStride: pixels, into: merged)
                        attendWidth(x, sourceStride: pixels, into: merged + d * stride)
                        Self.output(weights.summedOutput, bias: weights.summedBias, merged: merged, rows: 2 * d,
                                    stride: stride, pixels: pixels, into: y)
                    } else {
                        attendHeight(x, sourceStride: pixels, into: merged)
                        Self.output(heightAttention.toOutput, merged: merged, rows: d, stride: stride, pixels: pixels,
                                    into: grid, gridStride: stride)
                        attendWidth(grid, sourceStride: stride, into: merged)
                        Self.output(widthAttention.toOutput, merged: merged, rows: d, stride: stride, pixels: pixels,
                                    into: y, gridStride: pixels)
                    }
                }
            }
        }
    }

    /// Transposes `planes` planes [rows, columns] on `stride` into [columns, rows] on `targetStride`.
    private static func transpose(_ source: UnsafePointer<Float>, stride: Int, planes: Int, rows: Int, columns: Int,
                                  into target: UnsafeMutablePointer<Float>, stride targetStride: Int) {
        Parallel.forEachRange(planes, minimumPerWorker: max(1, (1 << 15) / max(rows * columns, 1))) { range in
            CVectorKernels_transposePlanes(source + range.lowerBound * stride, stride,
                                           target + range.lowerBound * targetStride, targetStride,
                                           range.count, rows, columns)
        }
    }

    /// planes = W·X for one image of channel planes.
    ///
    /// Shape: weight [rows, columns], input [columns, pixels] on `inputStride` -> planes
    /// [rows, pixels] on `stride`.
    private static func project(_ weight: UnsafePointer<Float>, rows: Int, columns: Int, input: UnsafePointer<Float>,
                                inputStride: Int, pixels: Int, into planes: UnsafeMutablePointer<Float>, stride: Int) {
        BLAS.sgemm(m: rows, n: pixels, k: columns, a: weight, lda: columns, b: input, ldb: inputStride,
                   beta: 0, c: planes, ldc: stride)
    }

    /// One axis's output projection `W_out·M + b` into an image of channel planes.
    private static func output(_ layer: Linear, merged: UnsafePointer<Float>, rows: Int, stride: Int, pixels: Int,
                               into y: UnsafeMutablePointer<Float>, gridStride: Int) {
        let c = layer.outputFeatures
        let zeros = [Float](repeating: 0, count: c)
        output(layer.weight.storage, bias: layer.bias?.storage ?? zeros, merged: merged, rows: rows, stride: stride,
               pixels: pixels, into: y, gridStride: gridStride)
    }

    /// y = W·M + b written as channel planes (NCHW when `gridStride` is H·W).
    ///
    /// Shape: weight [C, rows], bias [C], merged [rows, pixels] on `stride` -> y [C, pixels]
    /// on `gridStride`.
    private static func output(_ weight: [Float], bias: [Float], merged: UnsafePointer<Float>, rows: Int, stride: Int,
                               pixels: Int, into y: UnsafeMutablePointer<Float>, gridStride: Int = 0) {
        let c = bias.count
        let ldc = gridStride > 0 ? gridStride : pixels
        for channel in 0..<c { (y + channel * ldc).update(repeating: bias[channel], count: pixels) }
        weight.withUnsafeBufferPointer { w in
            BLAS.sgemm(m: c, n: pixels, k: rows, a: w.baseAddress!, lda: rows, b: merged, ldb: stride,
                       beta: 1, c: y, ldc: ldc)
        }
    }
}
