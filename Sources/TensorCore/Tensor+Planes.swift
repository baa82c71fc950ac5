extension Tensor {
    /// Interleaved image samples as one NCHW batch, each divided by `divisor` (255 for 8-bit,
    /// 65535 for 16-bit: what PyTorch's `to_tensor` does, a division, not a multiplication by
    /// the reciprocal, so the floats are the same bit for bit).
    ///
    /// Shape: samples H×W×C row-major (pixel-interleaved) -> [1, C, H, W].
    public static func planes<Sample: BinaryInteger>(interleaved samples: UnsafeBufferPointer<Sample>,
                                                     height h: Int, width w: Int, channels c: Int,
                                                     divisor: Float) -> Tensor {
        precondition(samples.count == h * w * c, "\(h)×\(w)×\(c) image needs \(h * w * c) samples, got \(samples.count)")
        let storage = [Float](unsafeUninitializedCapacity: c * h * w) { out, initialized in
            for i in 0..<(h * w) {
                for k in 0..<c { out[k * h * w + i] = Float(samples[i * c + k]) / divisor }
            }
            initialized = c * h * w
        }
        return Tensor(shape: [1, c, h, w], storage: storage)
    }
}
