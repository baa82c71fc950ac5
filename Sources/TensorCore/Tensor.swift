/// A dense, contiguous, row-major Float32 tensor.
///
/// The storage is a plain `[Float]` in row-major (C) order, like a contiguous PyTorch
/// tensor: for shape `[B, C, H, W]` the element `(b, c, y, x)` lives at
/// `((b·C + c)·H + y)·W + x`. Layout changes (permute, transpose) always copy, so every
/// `Tensor` is contiguous and can be handed to BLAS directly.
///
/// Shape: any rank ≥ 0; a rank-0 tensor holds one scalar.
public struct Tensor: Sendable, Equatable {
    /// Sizes of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// Row-major elements; `storage.count == shape.reduce(1, *)`.
    public var storage: [Float]

    /// Creates a tensor from its shape and row-major elements.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(storage.count == Tensor.count(of: shape),
                     "shape \(shape) needs \(Tensor.count(of: shape)) elements, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, storage: [Float](repeating: value, count: Tensor.count(of: shape)))
    }

    /// Number of elements of a shape (1 for rank 0).
    @inlinable
    public static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// Row-major strides of the shape (elements, not bytes).
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.count(of: newShape) == count,
                     "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        return Tensor(shape: newShape, storage: storage)
    }

    /// Element at a full multi-index (slow; for tests and small code paths).
    public subscript(_ index: Int...) -> Float {
        get { storage[offset(index)] }
        set { storage[offset(index)] = newValue }
    }

    private func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) has rank \(index.count), tensor has shape \(shape)")
        var off = 0
        for (i, (ix, n)) in zip(index, shape).enumerated() {
            precondition(ix >= 0 && ix < n, "index \(ix) out of range 0..<\(n) in dimension \(i) of \(shape)")
            off = off * n + ix
        }
        return off
    }
}
