import CVectorKernels

/// Numerically stable softmax over contiguous rows, in place.
///
/// softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x), as `torch.softmax(x, dim=-1)`.
/// A row of all −∞ becomes NaN, as in PyTorch.
public enum Softmax {
    /// The instruction set the softmax kernel uses on this CPU ("avx512f", "avx2", "portable").
    public static var instructionSet: String { String(cString: CVectorKernels_instructionSet()) }

    /// Softmax of each of `rows` rows of `length` elements; row r starts at
    /// `buffer + r·stride` (`stride` defaults to `length`).
    ///
    /// Shape: [rows, length] (row stride `stride` ≥ length) -> same, in place.
    public static func rows(_ buffer: UnsafeMutablePointer<Float>, rows: Int, length: Int, stride: Int? = nil) {
        let stride = stride ?? length
        precondition(rows >= 0 && length >= 0 && stride >= length,
                     "Softmax.rows: rows \(rows), length \(length), stride \(stride) (needs stride ≥ length)")
        guard length > 0 else { return }
        // The same max / exp / scale as `VectorMath`, in C with AVX-512 or AVX2+FMA variants
        // picked at run time: the Swift SIMD16 code compiles to 4-lane SSE without -march.
        CVectorKernels_softmaxRows(buffer, rows, length, stride)
    }
}

extension Tensor {
    /// Softmax over the last axis.
    ///
    /// Shape: [..., n] -> [..., n].
    public func softmax() -> Tensor {
        var result = self
        guard let length = shape.last, length > 0 else { return result }
        result.storage.withUnsafeMutableBufferPointer { buffer in
            Softmax.rows(buffer.baseAddress!, rows: count / length, length: length)
        }
        return result
    }
}
