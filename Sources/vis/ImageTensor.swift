import ImageCodecs
import TensorCore

/// Conversions between decoded images and NCHW tensors.
enum ImageTensor {
    /// Shape: image H×W×C samples -> [1, C, H, W] Float32 in [0, 1] (sample / 255 or / 65535, divided as PyTorch does).
    static func nchw(_ image: Image) -> Tensor {
        let (h, w, c) = (image.height, image.width, image.channels)
        var out = [Float](repeating: 0, count: c * h * w)
        func fill<T: BinaryInteger>(_ s: [T], divisor: Float) {
            out.withUnsafeMutableBufferPointer { o in
                s.withUnsafeBufferPointer { p in
                    for i in 0..<(h * w) {
                        for k in 0..<c { o[k * h * w + i] = Float(p[i * c + k]) / divisor }
                    }
                }
            }
        }
        switch image.samples {
        case .uint8(let s): fill(s, divisor: 255)
        case .uint16(let s): fill(s, divisor: 65535)
        }
        return Tensor(shape: [1, c, h, w], storage: out)
    }
}
