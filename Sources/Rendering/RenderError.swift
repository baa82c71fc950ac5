/// Problems a render reports in one line (the file's own errors come from ImageCodecs,
/// TensorCore and Attention).
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two stages of a weights file disagree, e.g. the embedder's width and the mechanism's.
    case dimensionMismatch(stage: String, expected: Int, got: Int, file: String)
    /// The weights file has no usable module for this mode.
    case missingModule(mode: String, module: String, file: String)
    /// A complete output exists and `--overwrite` was not given.
    case outputExists(path: String)
    /// The mode draws a trained network's attention, and no such network was given.
    case needsNetwork(mode: String, kind: String)
    /// `--model` names a file that is neither a vision transformer checkpoint nor a
    /// Recurrent Attention Model.
    case notANetwork(file: String, module: String?)

    public var description: String {
        switch self {
        case let .dimensionMismatch(stage, expected, got, file):
            return "\(file): \(stage) expects \(expected) channels but the embedding gives \(got)"
        case let .missingModule(mode, module, file):
            return "\(file): mode \(mode) needs a '\(module)' module (module metadata or '\(module).' prefix)"
        case let .outputExists(path):
            return "\(path): already exists; pass --overwrite to replace it"
        case let .needsNetwork(mode, kind):
            return "mode \(mode) draws a trained network's attention: give --model with \(kind)"
        case let .notANetwork(file, module):
            return "\(file): not a whole trained network (a vision transformer with config.json beside it, or a "
                + "recurrent_attention_model)" + (module.map { "; its module '\($0)' goes with --weights" } ?? "")
        }
    }
}
