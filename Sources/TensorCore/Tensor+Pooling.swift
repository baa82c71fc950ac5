extension Tensor {
    /// Average pooling with stride = kernel and no padding, as
    /// `torch.nn.functional.avg_pool2d(x, k)`; rows and columns that do not fill a window
    /// are dropped (floor).
    ///
    /// Shape: [B, C, H, W] -> [B, C, H/k, W/k].
    public func averagePool2d(kernel: Int) -> Tensor {
        precondition(rank == 4, "averagePool2d needs [B, C, H, W], got \(shape)")
        precondition(kernel > 0, "averagePool2d: kernel \(kernel) must be positive")
        let (b, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (outHeight, outWidth) = (h / kernel, w / kernel)
        var result = Tensor(shape: [b, c, outHeight, outWidth])
        guard result.count > 0 else { return result }
        let factor = 1 / Float(kernel * kernel)
        var rowSums = [Float](repeating: 0, count: w)
        storage.withUnsafeBufferPointer { x in
            result.storage.withUnsafeMutableBufferPointer { y in
                rowSums.withUnsafeMutableBufferPointer { sums in
                    for planeIndex in 0..<(b * c) {
                        let plane = x.baseAddress! + planeIndex * h * w
                        let out = y.baseAddress! + planeIndex * outHeight * outWidth
                        for oy in 0..<outHeight {
                            // Sum the kernel's rows, then each run of `kernel` columns.
                            sums.update(repeating: 0)
                            for ky in 0..<kernel {
                                let row = plane + (oy * kernel + ky) * w
                                for i in 0..<w { sums[i] += row[i] }
                            }
                            for ox in 0..<outWidth {
                                var total: Float = 0
                                for kx in 0..<kernel { total += sums[ox * kernel + kx] }
                                out[oy * outWidth + ox] = total * factor
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Mean over the width, as `nn.AdaptiveAvgPool2d((None, 1))` (CoordAttention's `pool_h`).
    ///
    /// Shape: [B, C, H, W] -> [B, C, H, 1].
    public func meanOverWidth() -> Tensor {
        precondition(rank == 4, "meanOverWidth needs [B, C, H, W], got \(shape)")
        return mean(axis: 3, keepDims: true)
    }

    /// Mean over the height, as `nn.AdaptiveAvgPool2d((1, None))` (CoordAttention's `pool_w`).
    ///
    /// Shape: [B, C, H, W] -> [B, C, 1, W].
    public func meanOverHeight() -> Tensor {
        precondition(rank == 4, "meanOverHeight needs [B, C, H, W], got \(shape)")
        return mean(axis: 2, keepDims: true)
    }
}
