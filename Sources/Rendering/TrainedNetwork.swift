import Attention
import Models
import TensorCore

/// A whole trained network given with `--model`: read, checked and built once per run, then
/// shared by every image and job (its forward passes may run concurrently).
///
/// A folder, or a `.safetensors` file with timm's or transformers' `config.json` beside it,
/// is a vision transformer (``ViTCheckpoint``); a file whose metadata names the module
/// `recurrent_attention_model` is the Recurrent Attention Model.
public enum TrainedNetwork: Sendable {
    case visionTransformer(ViTCheckpoint)
    case recurrentAttention(RecurrentAttentionModel)

    /// - Parameter numHeads: the head count, where neither the file nor `config.json` gives it.
    /// - Throws: ``RenderError/notANetwork(file:module:)`` for a single module or another
    ///   file; the checkpoint's own errors (missing, unused or mis-shaped tensors) otherwise.
    public init(path: String, numHeads: Int? = nil) throws {
        if ViTCheckpoint.isWholeModel(path: path) {
            self = .visionTransformer(try ViTCheckpoint(path: path, numHeads: numHeads))
            return
        }
        var weights = try WeightSet(path: path)
        guard weights.moduleName == RecurrentAttentionModel.moduleName else {
            throw RenderError.notANetwork(file: path, module: weights.moduleName)
        }
        self = .recurrentAttention(try RecurrentAttentionModel(loading: &weights))
    }

    public var isTransformer: Bool {
        if case .visionTransformer = self { return true }
        return false
    }

    /// What the error of a mode that needs this kind says the user should give.
    public static let transformerKind = "a vision transformer checkpoint (timm or transformers, config.json beside it)"
    public static let recurrentKind = "a recurrent_attention_model file"
}
