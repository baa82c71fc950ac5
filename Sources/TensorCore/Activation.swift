/// Pointwise activation functions, applied in place on buffers or on tensors.
///
/// - `relu`: max(x, 0) (`torch.nn.ReLU`).
/// - `sigmoid`: 1 / (1 + e^−x) (`torch.sigmoid`).
/// - `hardSigmoid`: relu6(x + 3) / 6, the `h_sigmoid` of the CoordAttention repository
///   (note: `torch.nn.Hardsigmoid` is the same function).
/// - `hardSwish`: x · relu6(x + 3) / 6, the `h_swish` of CoordAttention (`torch.nn.Hardswish`).
///
/// Shape: any -> same.
public enum Activation: String, Sendable, CaseIterable {
    case relu
    case sigmoid
    case hardSigmoid
    case hardSwish

    /// Applies the activation to every element of `buffer`.
    public func apply(to buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        switch self {
        case .relu:
            for i in 0..<count { base[i] = Swift.max(base[i], 0) }
        case .hardSigmoid:
            for i in 0..<count { base[i] = Swift.min(Swift.max(base[i] + 3, 0), 6) / 6 }
        case .hardSwish:
            for i in 0..<count {
                let x = base[i]
                base[i] = x * (Swift.min(Swift.max(x + 3, 0), 6) / 6)
            }
        case .sigmoid:
            Activation.sigmoid(base, count: count)
        }
    }

    private static func sigmoid(_ base: UnsafeMutablePointer<Float>, count: Int) {
        typealias Vector = VectorMath.Vector
        var i = 0
        while i + 16 <= count {
            let raw = UnsafeMutableRawPointer(base + i)
            let x = raw.loadUnaligned(as: Vector.self)
            raw.storeBytes(of: 1 / (1 + VectorMath.exp(-x)), as: Vector.self)
            i += 16
        }
        if i < count {
            var tail = Vector()
            for j in 0..<(count - i) { tail[j] = base[i + j] }
            let y = 1 / (1 + VectorMath.exp(-tail))
            for j in 0..<(count - i) { base[i + j] = y[j] }
        }
    }
}

extension Tensor {
    /// The tensor with `activation` applied to every element.
    ///
    /// Shape: any -> same.
    public func applying(_ activation: Activation) -> Tensor {
        var result = self
        result.apply(activation)
        return result
    }

    /// Applies `activation` to every element in place.
    public mutating func apply(_ activation: Activation) {
        storage.withUnsafeMutableBufferPointer { activation.apply(to: $0) }
    }
}
