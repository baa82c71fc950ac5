import ImageCodecs
import TensorCore

/// Conversions between decoded images and NCHW tensors.
enum ImageTensor {
    /// Shape: image H×W×C samples -> [1, C, H, W] Float32 in [0, 1] (sample / 255 or / 65535, divided as PyTorch does).
    static func nchw(_ image: Image) -> Tensor {
        let (h, w, c) = (image.height, image.width, image.channels)
        switch image.samples {
        case .uint8(let s):
            return s.withUnsafeBufferPointer { Tensor.planes(interleaved: $0, height: h, width: w, channels: c, divisor: 255) }
        case .uint16(let s):
            return s.withUnsafeBufferPointer { Tensor.planes(interleaved: $0, height: h, width: w, channels: c, divisor: 65535) }
        }
    }
}
