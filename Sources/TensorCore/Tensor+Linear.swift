extension Tensor {
    /// Fully connected layer y = x·Wᵀ + b over the last axis, as `torch.nn.functional.linear`.
    ///
    /// Shape: input [..., in], weight [out, in], bias [out] (optional) -> [..., out].
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(input.rank >= 1 && weight.rank == 2,
                     "linear needs input [..., in] and weight [out, in], got \(input.shape) and \(weight.shape)")
        let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
        precondition(input.shape.last == inFeatures,
                     "linear: input has \(input.shape.last!) features (shape \(input.shape)), weight expects \(inFeatures)")
        if let bias { precondition(bias.shape == [outFeatures], "linear: bias shape \(bias.shape), expected [\(outFeatures)]") }
        let rows = input.count / Swift.max(inFeatures, 1)
        var outShape = input.shape
        outShape[outShape.count - 1] = outFeatures
        var result = Tensor(shape: outShape)
        if let bias { result.fillRows(with: bias.storage, rows: rows) }
        guard rows > 0, outFeatures > 0, inFeatures > 0 else { return result }
        // [rows, in] · [out, in]ᵀ (+ bias rows) -> [rows, out]
        input.storage.withUnsafeBufferPointer { x in
            weight.storage.withUnsafeBufferPointer { w in
                result.storage.withUnsafeMutableBufferPointer { y in
                    BLAS.sgemm(transB: true, m: rows, n: outFeatures, k: inFeatures,
                               a: x.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                               beta: bias == nil ? 0 : 1, c: y.baseAddress!, ldc: outFeatures)
                }
            }
        }
        return result
    }

    /// Copies `row` into each of `rows` consecutive rows of the storage.
    mutating func fillRows(with row: [Float], rows: Int) {
        let length = row.count
        storage.withUnsafeMutableBufferPointer { out in
            row.withUnsafeBufferPointer { source in
                for r in 0..<rows { (out.baseAddress! + r * length).update(from: source.baseAddress!, count: length) }
            }
        }
    }
}
