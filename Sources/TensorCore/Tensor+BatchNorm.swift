extension Tensor {
    /// Batch normalisation in evaluation mode, as `torch.nn.BatchNorm2d.eval()`:
    /// y = (x − mean) / √(variance + ε) · weight + bias, per channel (axis 1), folded into
    /// one scale and shift per channel.
    ///
    /// Shape: input [B, C, ...] (NCHW), mean/variance/weight/bias [C] -> [B, C, ...].
    public func batchNorm(mean: Tensor, variance: Tensor, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        precondition(rank >= 2, "batchNorm needs input [B, C, ...], got \(shape)")
        let (b, c) = (shape[0], shape[1])
        for (name, parameter) in [("mean", mean), ("variance", variance), ("weight", weight), ("bias", bias)] {
            precondition(parameter.shape == [c], "batchNorm: \(name) shape \(parameter.shape), expected [\(c)]")
        }
        let plane = Tensor.count(of: Array(shape[2...]))
        var result = self
        result.storage.withUnsafeMutableBufferPointer { y in
            for channel in 0..<c {
                let scale = weight.storage[channel] / (variance.storage[channel] + epsilon).squareRoot()
                let shift = bias.storage[channel] - mean.storage[channel] * scale
                for batch in 0..<b {
                    let start = y.baseAddress! + (batch * c + channel) * plane
                    for i in 0..<plane { start[i] = start[i] * scale + shift }
                }
            }
        }
        return result
    }
}
