import TensorCore

/// Coordinate attention, in evaluation mode.
///
/// Hou, Zhou and Feng, "Coordinate Attention for Efficient Mobile Network Design"
/// (CVPR 2021); follows `CoordAtt(inp, oup, reduction)` of the official CoordAttention
/// repository. The input is average-pooled over the width (one value per row) and over the
/// height (one per column); both are concatenated along the height, mixed by `conv1`
/// (1×1, C → mip with mip = max(8, C / reduction)) + `bn1` + h-swish, split again, and
/// turned into gates `a_h = σ(conv_h(·))` per row and `a_w = σ(conv_w(·))` per column;
/// `out = x · a_w · a_h`. `bn1` (running statistics, eps 1e-5) is folded into `conv1` when
/// loading.
///
/// Shape: input [B, C, H, W] -> output [B, C, H, W], a_h [B, C, H, 1], a_w [B, C, 1, W];
/// `conv1` [mip, C, 1, 1] + [mip], `bn1.*` [mip], `conv_h`, `conv_w` [C, mip, 1, 1] + [C].
///
/// Model files (Contract 1, module `coordinate_attention`): `conv1.{weight,bias}`,
/// `bn1.{weight,bias,running_mean,running_var}`, `conv_h.{weight,bias}`,
/// `conv_w.{weight,bias}`; metadata `reduction`.
public struct CoordinateAttention: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "coordinate_attention"
    /// `nn.BatchNorm2d`'s default epsilon.
    public static let batchNormEpsilon = 1e-5

    /// `conv1` with `bn1` folded in. Shape: weight [mip, C], bias [mip].
    public let reduce: Linear
    /// `conv_h` as a linear map. Shape: weight [C, mip], bias [C].
    public let convHeight: Linear
    /// `conv_w` as a linear map. Shape: weight [C, mip], bias [C].
    public let convWidth: Linear

    /// Channels C.
    public var dimension: Int { reduce.inputFeatures }
    /// Hidden channels mip.
    public var hiddenDimension: Int { reduce.outputFeatures }

    /// What a forward pass returns.
    public struct Result: Sendable {
        /// Shape: [B, C, H, W].
        public var output: Tensor
        /// Row gates `a_h`. Shape: [B, C, H, 1].
        public var heightAttention: Tensor
        /// Column gates `a_w`. Shape: [B, C, 1, W].
        public var widthAttention: Tensor
    }

    /// A layer from `conv1` with batch norm already folded in, and the two gate projections.
    public init(reduce: Linear, convHeight: Linear, convWidth: Linear) {
        let (c, mip) = (reduce.inputFeatures, reduce.outputFeatures)
        precondition(convHeight.weight.shape == [c, mip] && convWidth.weight.shape == [c, mip],
                     "conv_h and conv_w must be [\(c), \(mip)], got \(convHeight.weight.shape), \(convWidth.weight.shape)")
        self.reduce = reduce
        self.convHeight = convHeight
        self.convWidth = convWidth
    }

    /// Loads a Contract 1 `coordinate_attention` model.
    public init(weights: WeightSet) throws {
        var weights = weights
        try self.init(loading: &weights)
    }

    /// Loads a Contract 1 `coordinate_attention` model, recording the names it reads in `weights`.
    public init(loading weights: inout WeightSet) throws {
        let module = Self.moduleName
        let reduction = try weights.integer("reduction", module: module)
        let c = try weights.require("conv1.weight", rank: 4, module: module).shape[1]
        let mip = max(8, c / reduction)
        let conv1 = try weights.require("conv1.weight", shape: [mip, c, 1, 1], module: module)
        let conv1Bias = try weights.require("conv1.bias", shape: [mip], module: module)
        let gamma = try weights.require("bn1.weight", shape: [mip], module: module)
        let beta = try weights.require("bn1.bias", shape: [mip], module: module)
        let mean = try weights.require("bn1.running_mean", shape: [mip], module: module)
        let variance = try weights.require("bn1.running_var", shape: [mip], module: module)
        let gates = try ["conv_h", "conv_w"].map { name in
            Linear(weight: try weights.require(name + ".weight", shape: [c, mip, 1, 1], module: module).reshaped([c, mip]),
                   bias: try weights.require(name + ".bias", shape: [c], module: module))
        }
        self.init(reduce: Self.foldBatchNorm(weight: conv1.reshaped([mip, c]), bias: conv1Bias, gamma: gamma,
                                             beta: beta, mean: mean, variance: variance),
                  convHeight: gates[0], convWidth: gates[1])
    }

    /// `bn(conv(x))` as one affine map: `W' = W·s`, `b' = (b − μ)·s + β`, `s = γ / √(σ² + ε)`.
    ///
    /// Shape: weight [out, in]; bias, gamma, beta, mean, variance [out].
    public static func foldBatchNorm(weight: Tensor, bias: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor,
                                     variance: Tensor, epsilon: Double = batchNormEpsilon) -> Linear {
        let (out, input) = (weight.shape[0], weight.shape[1])
        var folded = weight.storage
        var foldedBias = [Float](repeating: 0, count: out)
        for o in 0..<out {
            let s = Double(gamma.storage[o]) / (Double(variance.storage[o]) + epsilon).squareRoot()
            for i in 0..<input { folded[o * input + i] = Float(Double(folded[o * input + i]) * s) }
            foldedBias[o] = Float((Double(bias.storage[o]) - Double(mean.storage[o])) * s + Double(beta.storage[o]))
        }
        return Linear(weight: Tensor(shape: [out, input], storage: folded), bias: Tensor(shape: [out], storage: foldedBias))
    }

    /// Runs the layer on `x`.
    ///
    /// Shape: x [B, C, H, W] -> ``Result``.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when `x` is not [B, C, H, W].
    public func callAsFunction(_ x: Tensor) throws -> Result {
        let (c, mip) = (dimension, hiddenDimension)
        guard x.rank == 4, x.shape[1] == c else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(c), H, W]", got: x.shape)
        }
        let (b, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        var output = [Float](repeating: 0, count: x.count)
        var rowGates = [Float](repeating: 0, count: b * c * h)     // [B, C, H]
        var columnGates = [Float](repeating: 0, count: b * c * w)  // [B, C, W]
        guard x.count > 0 else {
            return Result(output: x, heightAttention: Tensor(shape: [b, c, h, 1]), widthAttention: Tensor(shape: [b, c, 1, w]))
        }
        let tokens = h + w
        var pooled = [Float](repeating: 0, count: tokens * c)   // [H+W, C] token-major
        var hidden = [Float](repeating: 0, count: tokens * mip) // [H+W, mip]
        var gateRows = [Float](repeating: 0, count: h * c)       // [H, C]
        var gateColumns = [Float](repeating: 0, count: w * c)    // [W, C]
        x.storage.withUnsafeBufferPointer { xBuffer in
            pooled.withUnsafeMutableBufferPointer { pooledBuffer in
            hidden.withUnsafeMutableBufferPointer { hiddenBuffer in
            gateRows.withUnsafeMutableBufferPointer { rowBuffer in
            gateColumns.withUnsafeMutableBufferPointer { columnBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                let (pool, mid) = (pooledBuffer.baseAddress!, hiddenBuffer.baseAddress!)
                let (aH, aW) = (rowBuffer.baseAddress!, columnBuffer.baseAddress!)
                var columnSums = [Float](repeating: 0, count: w)
                for image in 0..<b {
                    let plane = xBuffer.baseAddress! + image * c * h * w
                    // Pool: tokens 0..<H are row means (over W), tokens H..<H+W column means (over H).
                    for channel in 0..<c {
                        let source = plane + channel * h * w
                        for i in 0..<w { columnSums[i] = 0 }
                        for y in 0..<h {
                            let row = source + y * w
                            var sum: Float = 0
                            for x in 0..<w { sum += row[x]; columnSums[x] += row[x] }
                            pool[y * c + channel] = sum / Float(w)
                        }
                        for x in 0..<w { pool[(h + x) * c + channel] = columnSums[x] / Float(h) }
                    }
                    // conv1 + bn1 (folded), h-swish: [H+W, C] -> [H+W, mip]
                    reduce.apply(rows: tokens, input: pool, inputStride: c, output: mid, outputStride: mip)
                    Activation.hardSwish.apply(to: UnsafeMutableBufferPointer(start: mid, count: tokens * mip))
                    // conv_h, conv_w + sigmoid: [H, mip] -> [H, C], [W, mip] -> [W, C]
                    convHeight.apply(rows: h, input: mid, inputStride: mip, output: aH, outputStride: c)
                    convWidth.apply(rows: w, input: mid + h * mip, inputStride: mip, output: aW, outputStride: c)
                    Activation.sigmoid.apply(to: UnsafeMutableBufferPointer(start: aH, count: h * c))
                    Activation.sigmoid.apply(to: UnsafeMutableBufferPointer(start: aW, count: w * c))
                    // [H, C] -> [C, H] and [W, C] -> [C, W] into the returned gates.
                    rowGates.withUnsafeMutableBufferPointer {
                        Transpose.matrix(aH, rows: h, columns: c, into: $0.baseAddress! + image * c * h)
                    }
                    columnGates.withUnsafeMutableBufferPointer {
                        Transpose.matrix(aW, rows: w, columns: c, into: $0.baseAddress! + image * c * w)
                    }
                }
                // out = (x · a_w) · a_h, in the reference's order.
                rowGates.withUnsafeBufferPointer { rowGateBuffer in
                    columnGates.withUnsafeBufferPointer { columnGateBuffer in
                        for image in 0..<b {
                            for channel in 0..<c {
                                let plane = (image * c + channel)
                                let columnGate = columnGateBuffer.baseAddress! + plane * w
                                for y in 0..<h {
                                    let offset = (plane * h + y) * w
                                    Self.gate(xBuffer.baseAddress! + offset, columnGate, rowGateBuffer[plane * h + y],
                                              into: outBuffer.baseAddress! + offset, count: w)
                                }
                            }
                        }
                    }
                }
            }
            }
            }
            }
            }
        }
        return Result(output: Tensor(shape: x.shape, storage: output),
                      heightAttention: Tensor(shape: [b, c, h, 1], storage: rowGates),
                      widthAttention: Tensor(shape: [b, c, 1, w], storage: columnGates))
    }

    /// `out[i] = (x[i] · columnGate[i]) · rowGate` for one image row.
    @inline(__always)
    private static func gate(_ x: UnsafePointer<Float>, _ columnGate: UnsafePointer<Float>, _ rowGate: Float,
                             into out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = (x[i] * columnGate[i]) * rowGate }
    }
}
