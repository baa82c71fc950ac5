#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore

/// The pointwise steps of the recurrent models: ReLU, tanh and in-place addition.
extension Tensor {
    /// max(x, 0) elementwise (`torch.relu`).
    ///
    /// Shape: any -> same.
    func relu() -> Tensor {
        var result = self
        result.storage.withUnsafeMutableBufferPointer { Activation.relu.apply(to: $0) }
        return result
    }

    /// tanh elementwise (`torch.tanh`), in Float32.
    ///
    /// Shape: any -> same.
    func tanh() -> Tensor {
        var result = self
        for i in result.storage.indices { result.storage[i] = tanhf(result.storage[i]) }
        return result
    }

    /// self += other, same shape.
    mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "add: shapes \(shape) and \(other.shape) differ")
        other.storage.withUnsafeBufferPointer { source in
            storage.withUnsafeMutableBufferPointer { target in
                for i in target.indices { target[i] += source[i] }
            }
        }
    }
}
