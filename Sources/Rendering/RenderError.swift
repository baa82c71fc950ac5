/// Problems a render reports in one line (the file's own errors come from ImageCodecs,
/// TensorCore and Attention).
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two stages of a weights file disagree, e.g. the embedder's width and the mechanism's.
    case dimensionMismatch(stage: String, expected: Int, got: Int, file: String)
    /// The weights file has no usable module for this mode.
    case missingModule(mode: String, module: String, file: String)
    /// A complete output exists and `--overwrite` was not given.
    case outputExists(path: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(stage, expected, got, file):
            return "\(file): \(stage) expects \(expected) channels but the embedding gives \(got)"
        case let .missingModule(mode, module, file):
            return "\(file): mode \(mode) needs a '\(module)' module (module metadata or '\(module).' prefix)"
        case let .outputExists(path):
            return "\(path): already exists; pass --overwrite to replace it"
        }
    }
}
