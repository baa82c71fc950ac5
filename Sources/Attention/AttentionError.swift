import TensorCore

/// A problem with a model file, its hyperparameters or a forward-pass input.
///
/// Every case names the tensor, hyperparameter or module it concerns and, where there is
/// one, the expected value next to the one found, so that the command line can print one
/// clear line. Programmer mistakes (calling an API with inconsistent sizes) are
/// preconditions instead.
public enum AttentionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A tensor the module needs is not in the weight set.
    case missingTensor(name: String, module: String)
    /// A tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], got: [Int])
    /// A tensor has the wrong number of dimensions (its sizes are not yet known).
    case rankMismatch(name: String, expectedRank: Int, got: [Int])
    /// The metadata names a module this package does not implement.
    case unknownModule(name: String)
    /// A hyperparameter the module needs is not in the metadata.
    case missingHyperparameter(name: String, module: String)
    /// A hyperparameter is present but unusable (not a number, or inconsistent with the
    /// tensors, e.g. a head count that does not divide the embedding dimension).
    case invalidHyperparameter(name: String, value: String, reason: String)
    /// A forward-pass input the module needs was not given.
    case missingInput(name: String, module: String)
    /// A forward-pass input has the wrong shape; `expected` describes the allowed shapes
    /// (e.g. `"[B, 64, H, W]"`).
    case inputShape(name: String, expected: String, got: [Int])
    /// A requested query position lies outside the `count` positions of the input.
    case queryOutOfRange(position: Int, count: Int)
    /// Keeping the attention maps of this input would take more than the machine's memory.
    case mapsTooLarge(bytes: Double, memory: Int)

    public var description: String {
        switch self {
        case let .missingTensor(name, module):
            return "missing tensor '\(name)' needed by module '\(module)'"
        case let .shapeMismatch(name, expected, got):
            return "tensor '\(name)' has shape \(got), expected \(expected)"
        case let .rankMismatch(name, expectedRank, got):
            return "tensor '\(name)' has shape \(got) (\(got.count) dimensions), expected \(expectedRank) dimensions"
        case let .unknownModule(name):
            return "unknown module '\(name)' (known: \(AttentionModule.Kind.allCases.map { $0.rawValue }.joined(separator: ", ")))"
        case let .missingHyperparameter(name, module):
            return "missing hyperparameter '\(name)' in the metadata of module '\(module)'"
        case let .invalidHyperparameter(name, value, reason):
            return "invalid hyperparameter \(name) = '\(value)': \(reason)"
        case let .missingInput(name, module):
            return "missing input tensor '\(name)' for module '\(module)'"
        case let .inputShape(name, expected, got):
            return "input '\(name)' has shape \(got), expected \(expected)"
        case let .mapsTooLarge(bytes, memory):
            return "keeping the attention maps of this input needs \(PhysicalMemory.gigabytes(bytes)), more than "
                + "this machine's \(PhysicalMemory.gigabytes(Double(memory))); give --skip-maps or a smaller input"
        case let .queryOutOfRange(position, count):
            return "query position \(position) is outside 0..<\(count)"
        }
    }
}
