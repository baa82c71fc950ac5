extension Tensor {
    /// Sum along `axis`, as `x.sum(dim=axis, keepdim=keepDims)`.
    ///
    /// Shape: [..., d, ...] -> [..., 1, ...] with `keepDims`, else the axis removed.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        reduce(axis: axis, keepDims: keepDims, maximum: false)
    }

    /// Mean along `axis`, as `x.mean(dim=axis, keepdim=keepDims)` (NaN for an empty axis).
    ///
    /// Shape: [..., d, ...] -> [..., 1, ...] with `keepDims`, else the axis removed.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        var result = reduce(axis: axis, keepDims: keepDims, maximum: false)
        let factor = 1 / Float(shape[axis])
        result.storage.withUnsafeMutableBufferPointer { VectorMath.scale($0.baseAddress!, count: $0.count, by: factor) }
        return result
    }

    /// Maximum along `axis`, as `x.amax(dim=axis, keepdim=keepDims)` (NaN propagates).
    ///
    /// Shape: [..., d, ...] -> [..., 1, ...] with `keepDims`, else the axis removed.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        precondition(axis >= 0 && axis < rank && shape[axis] > 0,
                     "max: axis \(axis) must be a non-empty axis of \(shape)")
        return reduce(axis: axis, keepDims: keepDims, maximum: true)
    }

    private func reduce(axis: Int, keepDims: Bool, maximum: Bool) -> Tensor {
        precondition(axis >= 0 && axis < rank, "reduction axis \(axis) out of range for shape \(shape)")
        let length = shape[axis]
        let outer = Tensor.count(of: Array(shape[..<axis]))
        let inner = Tensor.count(of: Array(shape[(axis + 1)...]))
        var outShape = shape
        if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        var result = Tensor(shape: outShape, repeating: maximum ? -.infinity : 0)
        guard result.count > 0, length > 0 else { return result }
        storage.withUnsafeBufferPointer { input in
            result.storage.withUnsafeMutableBufferPointer { output in
                for o in 0..<outer {
                    let source = input.baseAddress! + o * length * inner
                    let target = output.baseAddress! + o * inner
                    if inner == 1 {
                        target[0] = maximum ? VectorMath.maximum(source, count: length)
                                            : VectorMath.sum(source, count: length)
                        continue
                    }
                    // Accumulate whole rows of `inner` contiguous elements.
                    for k in 0..<length {
                        let row = source + k * inner
                        if maximum {
                            for i in 0..<inner {
                                let v = row[i]
                                target[i] = (v > target[i] || v.isNaN) ? v : target[i]
                            }
                        } else {
                            for i in 0..<inner { target[i] += row[i] }
                        }
                    }
                }
            }
        }
        return result
    }
}
