import TensorCore

/// Named tensors and string metadata of one model file (Contract 1), with the checks a
/// module needs while it loads: missing tensors, wrong shapes and unused names.
///
/// Tensor names are those of the PyTorch reference module's `state_dict()`. A file may
/// hold several modules under prefixes (`patch_embed.proj.weight`, …) or a whole network's
/// checkpoint; ``scoped(to:)`` selects one sub-module and strips the usual checkpoint
/// prefixes (`module.` from `DataParallel`, `backbone.` from detection frameworks).
///
/// Loading records which names a module read (``require(_:shape:module:)``), so that
/// ``unusedNames`` can report leftovers, as mlx-swift's `update(parameters:)` does.
public struct WeightSet: Sendable {
    /// The tensors by their reference name.
    public private(set) var tensors: [String: Tensor]
    /// The `__metadata__` strings (`module` and the hyperparameters).
    public var metadata: [String: String]
    /// Names read so far through ``require(_:shape:module:)`` or ``optional(_:shape:module:)``.
    public private(set) var usedNames: Set<String> = []

    /// Name prefixes that training frameworks add in front of a module's own names.
    public static let checkpointPrefixes = ["module.", "backbone."]
    /// Name suffixes of bookkeeping tensors that no forward pass reads; never reported as unused.
    public static let ignoredSuffixes = ["num_batches_tracked"]

    /// Creates a weight set from tensors and metadata.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// All tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// Names present but not read by the module that loaded this set (bookkeeping tensors
    /// such as `bn1.num_batches_tracked` excluded), sorted.
    public var unusedNames: [String] {
        names.filter { name in
            !usedNames.contains(name) && !Self.ignoredSuffixes.contains { name.hasSuffix($0) }
        }
    }

    /// The module name from the metadata (`"module"`), if any.
    public var moduleName: String? { metadata["module"] }

    /// Adds or replaces a tensor.
    public mutating func set(_ tensor: Tensor, for name: String) {
        tensors[name] = tensor
    }

    /// The sub-module under `prefix`, names relative to it.
    ///
    /// Checkpoint prefixes (`module.`, `backbone.`, repeated) are stripped first, then the
    /// names that start with `prefix` (a trailing `.` is added when missing) keep their
    /// remainder; other names are dropped. An empty prefix only strips checkpoint prefixes.
    /// Metadata is kept unchanged.
    public func scoped(to prefix: String) -> WeightSet {
        let stripped = strippingCheckpointPrefixes()
        guard !prefix.isEmpty else { return stripped }
        let dotted = prefix.hasSuffix(".") ? prefix : prefix + "."
        var selected: [String: Tensor] = [:]
        for (name, tensor) in stripped.tensors where name.hasPrefix(dotted) {
            selected[String(name.dropFirst(dotted.count))] = tensor
        }
        return WeightSet(tensors: selected, metadata: metadata)
    }

    /// The same tensors with leading checkpoint prefixes (`module.`, `backbone.`) removed.
    public func strippingCheckpointPrefixes() -> WeightSet {
        var renamed: [String: Tensor] = [:]
        for (name, tensor) in tensors {
            renamed[Self.strippingCheckpointPrefixes(from: name)] = tensor
        }
        return WeightSet(tensors: renamed, metadata: metadata)
    }

    static func strippingCheckpointPrefixes(from name: String) -> String {
        var name = Substring(name)
        while let prefix = checkpointPrefixes.first(where: { name.hasPrefix($0) }) {
            name = name.dropFirst(prefix.count)
        }
        return String(name)
    }

    /// The tensor `name`, checked against `shape` when given.
    ///
    /// - Throws: ``AttentionError/missingTensor(name:module:)`` when absent,
    ///   ``AttentionError/shapeMismatch(name:expected:got:)`` when the shape differs.
    public mutating func require(_ name: String, shape: [Int]? = nil, module: String) throws -> Tensor {
        guard let tensor = try optional(name, shape: shape, module: module) else {
            throw AttentionError.missingTensor(name: name, module: module)
        }
        return tensor
    }

    /// The tensor `name` of rank `rank`, whose sizes define the module's dimensions.
    ///
    /// - Throws: ``AttentionError/missingTensor(name:module:)`` when absent,
    ///   ``AttentionError/rankMismatch(name:expectedRank:got:)`` when the rank differs.
    public mutating func require(_ name: String, rank: Int, module: String) throws -> Tensor {
        let tensor = try require(name, module: module)
        guard tensor.rank == rank else {
            throw AttentionError.rankMismatch(name: name, expectedRank: rank, got: tensor.shape)
        }
        return tensor
    }

    /// The tensor `name` if present (checked against `shape` when given), else `nil`.
    public mutating func optional(_ name: String, shape: [Int]? = nil, module: String) throws -> Tensor? {
        guard let tensor = tensors[name] else { return nil }
        usedNames.insert(name)
        if let shape, tensor.shape != shape {
            throw AttentionError.shapeMismatch(name: name, expected: shape, got: tensor.shape)
        }
        return tensor
    }
}
