extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `axes[i]`, as
    /// `torch.permute`. Always copies (every `Tensor` is contiguous).
    ///
    /// Shape: [d₀, …, dₙ₋₁] -> [d_axes[0], …, d_axes[n−1]].
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank && axes.sorted() == Array(0..<rank),
                     "permuted: \(axes) is not a permutation of the \(rank) axes of \(shape)")
        if axes == Array(0..<rank) { return self }
        let outShape = axes.map { shape[$0] }
        let inStrides = strides
        let readStrides = axes.map { inStrides[$0] }
        var result = Tensor(shape: outShape)
        guard count > 0 else { return result }
        let last = rank - 1
        let length = outShape[last]
        let step = readStrides[last]
        let outerCount = count / length
        storage.withUnsafeBufferPointer { input in
            result.storage.withUnsafeMutableBufferPointer { output in
                let source = input.baseAddress!
                var target = output.baseAddress!
                var index = [Int](repeating: 0, count: last)
                var offset = 0
                for _ in 0..<outerCount {
                    // Innermost output axis: contiguous writes, reads `step` apart.
                    if step == 1 {
                        target.update(from: source + offset, count: length)
                    } else {
                        var read = offset
                        for x in 0..<length {
                            target[x] = source[read]
                            read += step
                        }
                    }
                    target += length
                    // Odometer over the outer output axes.
                    var axis = last - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += readStrides[axis]
                        if index[axis] < outShape[axis] { break }
                        offset -= readStrides[axis] * outShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }

    /// The transpose of a rank-2 tensor.
    ///
    /// Shape: [m, n] -> [n, m].
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed needs a rank-2 tensor, got \(shape)")
        return permuted([1, 0])
    }
}
