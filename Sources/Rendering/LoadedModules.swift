import Attention
import TensorCore

/// The user's modules (`--weights FILE [--prefix P]`), built once per run from one
/// ``ModelWeights`` and shared by every image and job (the modules are immutable and their
/// forward passes may run concurrently).
///
/// A module that the file holds but that fails to load (a missing tensor, a wrong shape)
/// keeps its error, thrown by each render that needs that module, so a mode that does not
/// use it still renders.
public struct LoadedModules: Sendable {
    public let weights: ModelWeights
    /// The patch embedding (`patch_embed`), when the file has one.
    public let patchEmbedding: Result<PatchEmbedding, any Error>?
    public let selfAttention: Result<MultiHeadSelfAttention, any Error>?
    public let axialAttention: Result<AxialAttention, any Error>?
    public let coordinateAttention: Result<CoordinateAttention, any Error>?
    /// Tensors of the file that no module read, by their name in the file (after `--prefix`
    /// and the checkpoint prefixes), sorted; bookkeeping tensors are never listed.
    public let unusedNames: [String]

    public var path: String { weights.path }

    /// Builds every module the file holds, once (weights checked and packed here).
    public init(weights: ModelWeights) {
        self.weights = weights
        var claimed: Set<String> = []
        var unused: [String] = []
        func load<Module>(_ name: String, _ make: (inout WeightSet) throws -> Module) -> Result<Module, any Error>? {
            guard var set = weights.module(name) else { return nil }
            // Names in the file: top-level for a one-module file, else under `<name>.`.
            let fileName = { (tensor: String) in weights.all.moduleName == name ? tensor : name + "." + tensor }
            claimed.formUnion(set.names.map(fileName))
            do {
                let module = try make(&set)
                unused += set.unusedNames.map(fileName)
                return .success(module)
            } catch {
                return .failure(error)
            }
        }
        patchEmbedding = load(PatchEmbedding.moduleName) { try PatchEmbedding(loading: &$0) }
        selfAttention = load(MultiHeadSelfAttention.moduleName) { try MultiHeadSelfAttention(loading: &$0) }
        axialAttention = load(AxialAttention.moduleName) { try AxialAttention(loading: &$0) }
        coordinateAttention = load(CoordinateAttention.moduleName) { try CoordinateAttention(loading: &$0) }
        let unclaimed = weights.all.names.filter { name in
            !claimed.contains(name) && !WeightSet.ignoredSuffixes.contains { name.hasSuffix($0) }
        }
        unusedNames = (unused + unclaimed).sorted()
    }
}
