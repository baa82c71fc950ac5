import Attention
import Models
import TensorCore

/// One image prepared for every mode: its feature grid, the modules, and the query cell.
///
/// Without a weights file the weight-free defaults fill every stage (image-derived patch
/// features, non-local-means similarity heads, saliency-driven gates and glimpses). With
/// one, its patch embedder (if any) makes the tokens and its mechanisms replace the
/// defaults; their widths must agree.
public struct AttentionScene: Sendable {
    public internal(set) var image: SceneImage
    /// Weight-free features and saliency, made on first use: the weight-free modes, a
    /// `--query auto` and the glimpses read them; a trained network's modes do not.
    public var defaults: ImageFeatureGrid { weightFree.value }
    /// The user's patch embedding of the image (tokens, embeddings); nil without one.
    private let embedded: Tensor?
    private let weightFree: SharedLazy<ImageFeatureGrid>
    /// Shape: [rows·columns, D], row-major cells.
    public var tokens: Tensor { embedded ?? defaults.tokens }
    /// Shape: [rows·columns, E]: what the patch mode's principal components are taken of
    /// (the user's embeddings, or the default's colour and texture features without the
    /// position channels).
    public var embeddings: Tensor {
        if let embedded { return embedded }
        let f = defaults.features
        return f.slice(axis: 1, range: 0..<Swift.max(1, f.shape[1] - 2))
    }
    /// The user's modules (`--weights`), loaded once per run; nil for the weight-free defaults.
    public let models: LoadedModules?
    /// The trained network (`--model`), loaded once per run; nil without one.
    public let network: TrainedNetwork?
    /// A trained vision transformer's pass over this image (every block's attention, the
    /// top classes); nil without one.
    public let transformer: TransformerPass?
    public private(set) var settings: RenderSettings
    /// The grid cell `settings.query` names.
    public var query: (row: Int, column: Int) { Self.cell(of: settings.query, image: image, saliency: saliency) }

    public var rows: Int { image.rows }
    public var columns: Int { image.columns }
    /// Shape: [rows, columns] in [0, 1].
    public var saliency: Tensor { defaults.saliency }

    /// - Parameters:
    ///   - readout: what a trained transformer's pass carries through its last block
    ///     (``RenderMode/transformerReadout(_:settings:)`` of the modes to be drawn).
    ///   - pass: the transformer's pass over this image when it was computed already (with
    ///     other images, ``TransformerPass/passes(checkpoint:inputs:readout:)`` of
    ///     ``networkInput(_:settings:network:)``); computed here when nil.
    public init(image: SceneImage, settings: RenderSettings, models: LoadedModules? = nil,
                network: TrainedNetwork? = nil, readout: VisionTransformer.Readout = .allTokens,
                pass: TransformerPass? = nil) throws {
        self.image = image
        self.settings = settings
        self.models = models
        self.network = network
        if case .visionTransformer(let checkpoint) = network {
            transformer = try pass ?? TransformerPass(checkpoint: checkpoint, canvas: image.unenlarged,
                                                      longSide: settings.networkLongSide, crop: settings.networkCrop,
                                                      enlargement: image.enlargement, readout: readout)
        } else {
            transformer = nil
        }
        weightFree = SharedLazy { WeightFreeDefaults.featureGrid(image: image.working, cellSize: image.cellSize) }
        if let embedder = try models?.patchEmbedding?.get() {
            let p = embedder.patchSize
            let canvas = image.canvas.resized(width: image.columns * p, height: image.rows * p, method: .area)
            let out = try embedder(SceneImage.tensor(canvas))            // [1, N, D]
            embedded = out.reshaped([out.shape[1], out.shape[2]])
        } else {
            embedded = nil
        }
    }

    /// What a trained vision transformer is given for `image` under `settings`; nil without one.
    public static func networkInput(_ image: SceneImage, settings: RenderSettings,
                                    network: TrainedNetwork?) -> TransformerPass.Input? {
        guard case .visionTransformer(let checkpoint) = network else { return nil }
        return TransformerPass.input(checkpoint: checkpoint, canvas: image.unenlarged, longSide: settings.networkLongSide,
                                     crop: settings.networkCrop, enlargement: image.enlargement)
    }

    /// The float tensors this scene holds now (working image, features, the user's tokens,
    /// a transformer's attention), without making those not yet made.
    public var heldFloats: Int {
        let grid = weightFree.computed.map { $0.tokens.count + $0.features.count + $0.saliency.count } ?? 0
        return (image.workingIfMade?.count ?? 0) + grid + (embedded?.count ?? 0)
            + (transformer?.attention.reduce(0) { $0 + $1.count } ?? 0)
    }

    /// The grid cell of a query: the pixel's cell, or the most salient cell for `.auto`.
    static func cell(of point: QueryPoint, image: SceneImage, saliency: @autoclosure () -> Tensor) -> (row: Int, column: Int) {
        switch point {
        case .pixel(let x, let y): return image.cell(x: x, y: y)
        case .auto:
            let s = saliency().storage
            let best = s.indices.max { s[$0] < s[$1] } ?? 0
            return (best / image.columns, best % image.columns)
        }
    }

    /// The same scene (image, features, tokens, weights) asked about `settings.query` and
    /// drawn with `settings`' colours, opacity, normalisation, upsampling, heads and colour
    /// bar: what the explorer does on each click, without computing the features again.
    /// The settings that shape the scene itself (grid, cell size, size cap) are kept.
    public func asking(_ settings: RenderSettings) -> AttentionScene {
        var scene = self
        var kept = settings
        kept.gridLongSide = self.settings.gridLongSide
        kept.cellSize = self.settings.cellSize
        kept.maxSize = self.settings.maxSize
        kept.enlargeBelow = self.settings.enlargeBelow
        kept.networkLongSide = self.settings.networkLongSide
        kept.networkCrop = self.settings.networkCrop
        scene.settings = kept
        return scene
    }

    /// Token dimension D.
    public var dimension: Int { tokens.shape[1] }

    /// Tokens as a feature map. Shape: [1, D, rows, columns].
    public var featureMap: Tensor {
        tokens.reshaped([1, rows, columns, dimension]).permuted([0, 3, 1, 2])
    }

    /// The module for a mechanism: the user's, else the default.
    ///
    /// A file with a patch embedding must also hold the mechanism (the defaults do not
    /// take its tokens); a file with mechanisms only falls back to the default for the others.
    func module<Module>(_ user: Result<Module, any Error>?, name: String, mode: RenderMode,
                        fallback: () throws -> Module) throws -> Module {
        if let user { return try user.get() }
        if let models, models.patchEmbedding != nil {
            throw RenderError.missingModule(mode: mode.name, module: name, file: models.path)
        }
        return try fallback()
    }

    func checkDimension(_ expected: Int, stage: String) throws {
        if expected != dimension {
            throw RenderError.dimensionMismatch(stage: stage, expected: expected, got: dimension,
                                                file: models?.path ?? "weight-free default")
        }
    }

    public func selfAttention() throws -> MultiHeadSelfAttention {
        let module = try module(models?.selfAttention, name: MultiHeadSelfAttention.moduleName, mode: .self) {
            try MultiHeadSelfAttention(weights: WeightFreeDefaults.selfAttentionWeights(for: defaults))
        }
        try checkDimension(module.dimension, stage: "self_attention")
        return module
    }

    public func axialAttention() throws -> AxialAttention {
        let module = try module(models?.axialAttention, name: AxialAttention.moduleName, mode: .axial) {
            try AxialAttention(weights: WeightFreeDefaults.axialAttentionWeights(for: defaults,
                                                                                 sumAxialOut: settings.axialSummed))
        }
        try checkDimension(module.dimension, stage: "axial_attention")
        return module
    }

    public func coordinateAttention() throws -> CoordinateAttention {
        let module = try module(models?.coordinateAttention, name: CoordinateAttention.moduleName, mode: .coord) {
            try CoordinateAttention(weights: WeightFreeDefaults.coordinateAttentionWeights(for: defaults))
        }
        try checkDimension(module.dimension, stage: "coordinate_attention")
        return module
    }

    /// Head labels: the default's similarity heads, or "head i".
    func headLabels(_ count: Int, userModule: Bool) -> [String] {
        if !userModule && count == WeightFreeDefaults.headNames.count { return WeightFreeDefaults.headNames }
        return (0..<count).map { "head \($0)" }
    }
}
