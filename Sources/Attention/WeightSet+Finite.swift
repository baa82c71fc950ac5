import TensorCore

extension WeightSet {
    /// Throws when `tensor` holds NaN or ±Inf, naming the tensor, how many such values it
    /// holds and where the first one is: a model file with non-finite weights would turn
    /// every attention map into NaN without saying why.
    ///
    /// Shape: any; `firstIndex` has one entry per dimension of `tensor.shape`.
    static func checkFinite(_ tensor: Tensor, name: String, file: String) throws(SafetensorsError) {
        var count = 0
        var first = -1
        tensor.storage.withUnsafeBufferPointer { values in
            for i in values.indices where !values[i].isFinite {
                if first < 0 { first = i }
                count += 1
            }
        }
        guard count > 0 else { return }
        let value = tensor.storage[first]
        var index: [Int] = []
        var rest = first
        for stride in tensor.strides {
            index.append(stride > 0 ? rest / stride : 0)
            rest = stride > 0 ? rest % stride : rest
        }
        throw .nonFiniteValue(file: file, tensor: name, count: count, firstIndex: index,
                              value: value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
    }
}
