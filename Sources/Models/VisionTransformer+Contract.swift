import Attention
import FileSystem
import Foundation
import TensorCore

extension VisionTransformer {
    /// Contract 5's named outputs for `images`: `output` (B,T,D), `logits` (B,K) when the
    /// model has a head, and `attention.<i>` (B,heads,T,T) for every block i unless
    /// `capture` is `.none`.
    public func contractOutputs(_ images: Tensor, capture: AttentionCapture = .full) throws -> [String: Tensor] {
        let result = try self(images, capture: capture)
        var outputs = ["output": result.output]
        if let logits = result.logits { outputs["logits"] = logits }
        for (i, map) in result.attention.enumerated() { outputs["attention.\(i)"] = map }
        return outputs
    }
}

extension ViTCheckpoint {
    /// Whether `path` is a whole-model checkpoint (Contract 5) rather than a single module
    /// (Contract 1): a folder, or a `.safetensors` file without a `module` entry in its
    /// metadata and with a `config.json` beside it.
    public static func isWholeModel(path: String) -> Bool {
        switch FileKind.of(path) {
        case .missing: return false
        case .directory: return true
        default: break
        }
        let folder = (path as NSString).deletingLastPathComponent
        guard FileKind.of((folder.isEmpty ? "." : folder) + "/config.json") != .missing else { return false }
        guard let reader = try? SafetensorsReader(path: path) else { return false }
        return reader.metadata["module"] == nil
    }
}
