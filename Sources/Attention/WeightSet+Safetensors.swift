import TensorCore

extension WeightSet {
    /// The floating-point tensors of a safetensors file (F32, F16, BF16, … widened to
    /// Float32) and its metadata; integer tensors (e.g. `bn1.num_batches_tracked`, I64) are
    /// left out, as Contract 1 says they are ignored.
    ///
    /// With a `prefix`, only the sub-module under it is decoded, named relative to it (after
    /// stripping checkpoint prefixes, as ``scoped(to:)`` does), so picking one block out of a
    /// whole network's checkpoint does not convert the rest.
    ///
    /// - Throws: ``SafetensorsError/nonFiniteValue(file:tensor:count:firstIndex:value:)``
    ///   when a decoded tensor holds NaN or ±Inf, besides the file's own validation errors.
    public init(file: SafetensorsFile, prefix: String = "") throws(SafetensorsError) {
        let dotted = prefix.isEmpty || prefix.hasSuffix(".") ? prefix : prefix + "."
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            guard let info = file.info(name), info.dtype.isFloatingPoint else { continue }
            let stripped = Self.strippingCheckpointPrefixes(from: name)
            guard stripped.hasPrefix(dotted) else { continue }
            let tensor = try file.tensor(name)
            try Self.checkFinite(tensor, name: name, file: file.fileName)
            tensors[String(stripped.dropFirst(dotted.count))] = tensor
        }
        self.init(tensors: tensors, metadata: file.metadata)
    }

    /// Reads a model file (Contract 1); see ``init(file:prefix:)``.
    public init(path: String, prefix: String = "") throws(SafetensorsError) {
        try self.init(file: try SafetensorsFile.read(path: path), prefix: prefix)
    }
}
