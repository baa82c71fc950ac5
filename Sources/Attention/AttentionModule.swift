import TensorCore

/// One of the five mechanisms, chosen by a model file's `module` metadata (Contract 1).
///
/// `init(weights:)` reads the `module` name and the hyperparameters and loads the
/// reference-named tensors; ``forward(inputs:capture:)`` runs the module on Contract 2's
/// named inputs and returns Contract 2's named outputs.
public enum AttentionModule: Sendable {
    case patchEmbedding(PatchEmbedding)
    case selfAttention(MultiHeadSelfAttention)
    case axialAttention(AxialAttention)
    case coordinateAttention(CoordinateAttention)
    case glimpse(GlimpseSampler)

    /// The `module` names of Contract 1.
    public enum Kind: String, CaseIterable, Sendable {
        case patchEmbedding = "patch_embed"
        case selfAttention = "self_attention"
        case axialAttention = "axial_attention"
        case coordinateAttention = "coordinate_attention"
        case glimpse = "glimpse"
    }

    /// Loads the module named by `weights.metadata["module"]`.
    ///
    /// `referenceGlimpseAxes` makes a `glimpse` module denormalise x with the image height
    /// as the reference does (see ``GlimpseSampler/referenceHeightForBothAxes``); by default
    /// x follows the width. The two agree on square images.
    /// - Throws: ``AttentionError/missingHyperparameter(name:module:)`` without a `module`
    ///   entry, ``AttentionError/unknownModule(name:)`` for an unknown name, and the loading
    ///   errors of the module itself.
    public init(weights: WeightSet, referenceGlimpseAxes: Bool = false) throws {
        var weights = weights
        try self.init(loading: &weights, referenceGlimpseAxes: referenceGlimpseAxes)
    }

    /// Loads the module named by `weights.metadata["module"]`, recording the tensor names
    /// it reads in `weights` (see ``WeightSet/unusedNames``).
    public init(loading weights: inout WeightSet, referenceGlimpseAxes: Bool = false) throws {
        guard let name = weights.moduleName else {
            throw AttentionError.missingHyperparameter(name: "module", module: "(unnamed)")
        }
        guard let kind = Kind(rawValue: name.trimmingWhitespace) else {
            throw AttentionError.unknownModule(name: name)
        }
        switch kind {
        case .patchEmbedding: self = .patchEmbedding(try PatchEmbedding(loading: &weights))
        case .selfAttention: self = .selfAttention(try MultiHeadSelfAttention(loading: &weights))
        case .axialAttention: self = .axialAttention(try AxialAttention(loading: &weights))
        case .coordinateAttention: self = .coordinateAttention(try CoordinateAttention(loading: &weights))
        case .glimpse:
            self = .glimpse(try GlimpseSampler(weights: weights, referenceHeightForBothAxes: referenceGlimpseAxes))
        }
    }

    /// Which mechanism this is.
    public var kind: Kind {
        switch self {
        case .patchEmbedding: .patchEmbedding
        case .selfAttention: .selfAttention
        case .axialAttention: .axialAttention
        case .coordinateAttention: .coordinateAttention
        case .glimpse: .glimpse
        }
    }

    /// The Contract 1 module name.
    public var name: String { kind.rawValue }

    /// Names of the Contract 2 inputs, in order.
    public var inputNames: [String] {
        kind == .glimpse ? ["input", "locations"] : ["input"]
    }

    /// Names of the Contract 2 outputs, in order.
    public var outputNames: [String] {
        switch kind {
        case .patchEmbedding: ["output"]
        case .selfAttention: ["output", "attention"]
        case .axialAttention: ["output", "attention.height", "attention.width"]
        case .coordinateAttention: ["output", "a_h", "a_w"]
        case .glimpse: ["glimpses"]
        }
    }

    /// Runs the module on Contract 2's named inputs.
    ///
    /// Shape (per module, Contract 2):
    /// - `patch_embed`: input [B, C, H, W] -> output [B, N, D];
    /// - `self_attention`: input [B, N, C] -> output [B, N, C], attention [B, heads, N, N];
    /// - `axial_attention`: input [B, C, H, W] -> output [B, C, H, W], attention.height
    ///   [B, W, heads, H, H], attention.width [B, H, heads, W, W];
    /// - `coordinate_attention`: input [B, C, H, W] -> output [B, C, H, W], a_h [B, C, H, 1],
    ///   a_w [B, C, 1, W];
    /// - `glimpse`: input [B, C, H, W], locations [B, 2] -> glimpses [B, k·C, g, g].
    ///
    /// `capture` (default `.full`, as Contract 2 asks) controls the attention outputs of
    /// self and axial attention; with `.none` they are left out, with `.queries` they hold
    /// the selected rows only.
    /// - Throws: ``AttentionError/missingInput(name:module:)`` and the module's input errors.
    public func forward(inputs: [String: Tensor], capture: AttentionCapture = .full) throws -> [String: Tensor] {
        func input(_ key: String) throws -> Tensor {
            guard let tensor = inputs[key] else { throw AttentionError.missingInput(name: key, module: name) }
            return tensor
        }
        var outputs: [String: Tensor] = [:]
        switch self {
        case let .patchEmbedding(module):
            outputs["output"] = try module(input("input"))
        case let .selfAttention(module):
            let result = try module(input("input"), capture: capture)
            outputs["output"] = result.output
            outputs["attention"] = result.attention
        case let .axialAttention(module):
            let result = try module(input("input"), capture: capture)
            outputs["output"] = result.output
            outputs["attention.height"] = result.heightAttention
            outputs["attention.width"] = result.widthAttention
        case let .coordinateAttention(module):
            let result = try module(input("input"))
            outputs["output"] = result.output
            outputs["a_h"] = result.heightAttention
            outputs["a_w"] = result.widthAttention
        case let .glimpse(module):
            outputs["glimpses"] = try module(input("input"), locations: input("locations"))
        }
        return outputs
    }
}
