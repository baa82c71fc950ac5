import TensorCore

/// A problem with a whole-model checkpoint (its `config.json`, its tensors) or with the
/// input of a forward pass.
///
/// Every case names the file, setting or tensor it concerns, so that the command line can
/// print one clear line. Errors of single layers (a tensor missing or mis-shaped) keep their
/// ``Attention/AttentionError`` case, with the checkpoint's own tensor name.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `config.json` names an architecture this package does not know.
    case unknownArchitecture(name: String, file: String)
    /// `config.json` names a transformers `model_type` this package does not run.
    case unknownModelType(name: String, file: String)
    /// `config.json` could not be read or is not the JSON object expected.
    case badConfiguration(file: String, reason: String)
    /// A setting no source gives (file metadata, `config.json`, tensor shapes); `option` is the
    /// command-line option that supplies it, when there is one.
    case missingSetting(name: String, option: String?, reason: String)
    /// A setting is present but unusable.
    case invalidSetting(name: String, value: String, reason: String)
    /// The checkpoint holds tensors the model does not read.
    case unusedTensors(names: [String], file: String)
    /// The image has fewer rows or columns than one patch.
    case imageSmallerThanPatch(height: Int, width: Int, patchSize: Int)
    /// The model path holds neither a `.safetensors` file nor a folder with `model.safetensors`.
    case noCheckpoint(path: String)
    /// A pass over this many tokens would need more memory than the machine has.
    case passTooLarge(tokens: Int, bytes: Double, memory: Int)

    public var description: String {
        switch self {
        case let .unknownArchitecture(name, file):
            return "\(file): unknown architecture '\(name)' (known: \(TimmArchitecture.knownNames.joined(separator: ", ")))"
        case let .unknownModelType(name, file):
            return "\(file): unknown model_type '\(name)' (known: \(TransformersCheckpoint.modelTypes.joined(separator: ", ")))"
        case let .badConfiguration(file, reason):
            return "\(file): \(reason)"
        case let .missingSetting(name, option, reason):
            return "cannot tell \(name): \(reason)" + (option.map { "; give it with \($0)" } ?? "")
        case let .invalidSetting(name, value, reason):
            return "invalid \(name) = \(value): \(reason)"
        case let .unusedTensors(names, file):
            let shown = names.prefix(8).joined(separator: ", ")
            return "\(file): \(names.count) tensor\(names.count == 1 ? "" : "s") not used by the model: \(shown)"
                + (names.count > 8 ? ", …" : "")
        case let .imageSmallerThanPatch(height, width, patchSize):
            return "the image (\(height)×\(width)) is smaller than one \(patchSize)×\(patchSize) patch"
        case let .passTooLarge(tokens, bytes, memory):
            return "a pass over \(tokens) tokens needs \(PhysicalMemory.gigabytes(bytes)) for its attention maps and layers, "
                + "more than this machine's \(PhysicalMemory.gigabytes(Double(memory))); use a smaller input (--model-size), "
                + "or --skip-maps with vis forward"
        case let .noCheckpoint(path):
            return "\(path): no model.safetensors (give the .safetensors file or the folder holding it and config.json)"
        }
    }
}
