extension Tensor {
    /// The elements whose index along `axis` lies in `range` (a copy), as `x.narrow`.
    ///
    /// Shape: [..., d_axis, ...] -> [..., range.count, ...].
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        precondition(axis >= 0 && axis < rank, "slice: axis \(axis) out of range for shape \(shape)")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice: range \(range) outside 0..<\(shape[axis]) on axis \(axis) of \(shape)")
        let outer = Tensor.count(of: Array(shape[..<axis]))
        let inner = Tensor.count(of: Array(shape[(axis + 1)...]))
        var outShape = shape
        outShape[axis] = range.count
        var result = Tensor(shape: outShape)
        let block = range.count * inner
        guard block > 0 else { return result }
        storage.withUnsafeBufferPointer { input in
            result.storage.withUnsafeMutableBufferPointer { output in
                for o in 0..<outer {
                    let source = input.baseAddress! + (o * shape[axis] + range.lowerBound) * inner
                    (output.baseAddress! + o * block).update(from: source, count: block)
                }
            }
        }
        return result
    }

    /// Joins tensors along `axis`, as `torch.cat`; all other sizes must agree.
    ///
    /// Shape: [..., dᵢ, ...] for each input -> [..., Σ dᵢ, ...].
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0].shape
        precondition(axis >= 0 && axis < first.count, "concatenate: axis \(axis) out of range for shape \(first)")
        for tensor in tensors {
            var a = tensor.shape, b = first
            precondition(a.count == b.count, "concatenate: ranks differ, \(tensor.shape) vs \(first)")
            a[axis] = 0
            b[axis] = 0
            precondition(a == b, "concatenate: shapes \(tensor.shape) and \(first) differ outside axis \(axis)")
        }
        var outShape = first
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let outer = Tensor.count(of: Array(first[..<axis]))
        let inner = Tensor.count(of: Array(first[(axis + 1)...]))
        var storage: [Float] = []
        storage.reserveCapacity(Tensor.count(of: outShape))
        for o in 0..<outer {
            for tensor in tensors {
                let block = tensor.shape[axis] * inner
                storage.append(contentsOf: tensor.storage[(o * block)..<((o + 1) * block)])
            }
        }
        return Tensor(shape: outShape, storage: storage)
    }
}
