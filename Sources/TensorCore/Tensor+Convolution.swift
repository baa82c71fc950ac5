extension Tensor {
    /// Pointwise (1×1) convolution, stride 1, as `torch.nn.Conv2d(C, O, kernel_size=1)`.
    ///
    /// Shape: input [B, C, H, W], weight [O, C, 1, 1] (or [O, C]), bias [O] (optional)
    /// -> [B, O, H, W].
    public static func conv2d1x1(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(input.rank == 4, "conv2d1x1 needs input [B, C, H, W], got \(input.shape)")
        let (b, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        precondition((weight.rank == 4 && weight.shape[2] == 1 && weight.shape[3] == 1) || weight.rank == 2,
                     "conv2d1x1 needs weight [O, C, 1, 1], got \(weight.shape)")
        let o = weight.shape[0]
        precondition(weight.shape[1] == c, "conv2d1x1: input has \(c) channels, weight expects \(weight.shape[1])")
        if let bias { precondition(bias.shape == [o], "conv2d1x1: bias shape \(bias.shape), expected [\(o)]") }
        let plane = h * w
        var result = Tensor(shape: [b, o, h, w])
        if let bias { result.fillPlanes(with: bias.storage, batches: b, plane: plane) }
        guard b > 0, o > 0, plane > 0, c > 0 else { return result }
        input.storage.withUnsafeBufferPointer { x in
            weight.storage.withUnsafeBufferPointer { wt in
                result.storage.withUnsafeMutableBufferPointer { y in
                    for batch in 0..<b {
                        // [O, C] · [C, H·W] -> [O, H·W]
                        BLAS.sgemm(m: o, n: plane, k: c,
                                   a: wt.baseAddress!, lda: c, b: x.baseAddress! + batch * c * plane, ldb: plane,
                                   beta: bias == nil ? 0 : 1, c: y.baseAddress! + batch * o * plane, ldc: plane)
                    }
                }
            }
        }
        return result
    }

    /// Patch convolution: kernel = stride = p, no padding, as the `proj` of timm's
    /// `PatchEmbed` (`Conv2d(C, D, kernel_size=p, stride=p)`). Trailing rows and columns that
    /// do not fill a patch are dropped, as PyTorch does. Computed as im2col + one GEMM.
    ///
    /// Shape: input [B, C, H, W], weight [D, C, p, p], bias [D] (optional)
    /// -> [B, D, H/p, W/p] (floor division).
    public static func conv2dPatch(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(input.rank == 4 && weight.rank == 4,
                     "conv2dPatch needs input [B, C, H, W] and weight [D, C, p, p], got \(input.shape) and \(weight.shape)")
        let (b, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (d, p) = (weight.shape[0], weight.shape[2])
        precondition(weight.shape[1] == c, "conv2dPatch: input has \(c) channels, weight expects \(weight.shape[1])")
        precondition(p > 0 && weight.shape[3] == p, "conv2dPatch needs a square kernel, got \(weight.shape)")
        if let bias { precondition(bias.shape == [d], "conv2dPatch: bias shape \(bias.shape), expected [\(d)]") }
        let (gridHeight, gridWidth) = (h / p, w / p)
        let patches = gridHeight * gridWidth
        let patchSize = c * p * p
        var result = Tensor(shape: [b, d, gridHeight, gridWidth])
        if let bias { result.fillPlanes(with: bias.storage, batches: b, plane: patches) }
        guard b > 0, d > 0, patches > 0 else { return result }
        var columns = [Float](repeating: 0, count: patches * patchSize)
        input.storage.withUnsafeBufferPointer { x in
            weight.storage.withUnsafeBufferPointer { wt in
                result.storage.withUnsafeMutableBufferPointer { y in
                    columns.withUnsafeMutableBufferPointer { cols in
                        for batch in 0..<b {
                            // im2col: [C, H, W] -> [L, C·p·p], one row per patch, (c, ky, kx) order
                            // as the weight's; each (c, ky) is a contiguous run of p pixels.
                            let image = x.baseAddress! + batch * c * h * w
                            for py in 0..<gridHeight {
                                for px in 0..<gridWidth {
                                    var target = cols.baseAddress! + (py * gridWidth + px) * patchSize
                                    for channel in 0..<c {
                                        for ky in 0..<p {
                                            target.update(from: image + (channel * h + py * p + ky) * w + px * p, count: p)
                                            target += p
                                        }
                                    }
                                }
                            }
                            // [D, C·p·p] · [L, C·p·p]ᵀ -> [D, L]
                            BLAS.sgemm(transB: true, m: d, n: patches, k: patchSize,
                                       a: wt.baseAddress!, lda: patchSize, b: cols.baseAddress!, ldb: patchSize,
                                       beta: bias == nil ? 0 : 1, c: y.baseAddress! + batch * d * patches, ldc: patches)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Fills plane (batch, channel) with `values[channel]`, for a [B, values.count, plane] layout.
    mutating func fillPlanes(with values: [Float], batches: Int, plane: Int) {
        storage.withUnsafeMutableBufferPointer { out in
            var target = out.baseAddress!
            for _ in 0..<batches {
                for value in values {
                    target.update(repeating: value, count: plane)
                    target += plane
                }
            }
        }
    }
}
