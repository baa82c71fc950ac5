import Attention
import TensorCore

/// User weights for the renderer (`--weights FILE [--prefix P]`).
///
/// A file may hold one module (its `__metadata__` `module` says which, names at the top
/// level, as Contract 1), or several under their Contract 1 module names as prefixes
/// (`patch_embed.proj.weight`, `self_attention.qkv.weight`, `axial_attention.…`,
/// `coordinate_attention.…`), with hyperparameters in metadata keys either plain
/// (`num_heads`) or prefixed (`self_attention.num_heads`). `--prefix` first picks a sub-module
/// out of a whole network's checkpoint; `module.` and `backbone.` are always stripped.
public struct ModelWeights: Sendable {
    public let all: WeightSet
    public let path: String

    public init(path: String, prefix: String = "") throws {
        self.path = path
        self.all = try WeightSet(path: path, prefix: prefix)
    }

    /// The weights of one module, or nil when the file has none for it.
    public func module(_ name: String) -> WeightSet? {
        if all.moduleName == name { return all }
        var scoped = all.scoped(to: name)
        guard !scoped.tensors.isEmpty else { return nil }
        var metadata = all.metadata
        for (key, value) in all.metadata where key.hasPrefix(name + ".") {
            metadata[String(key.dropFirst(name.count + 1))] = value
        }
        metadata["module"] = name
        scoped.metadata = metadata
        return scoped
    }
}
