/// The hyperparameters of a ``VisionTransformer``, gathered from the checkpoint's metadata,
/// its `config.json` and its tensor shapes (in that order of precedence).
///
/// Token order: class token (when present), register tokens, then the patches row by row.
public struct ViTConfiguration: Sendable, Equatable {
    /// How the tokens are reduced to one vector for the classifier.
    public enum Pooling: String, Sendable {
        /// The class token (timm `global_pool='token'`, transformers).
        case token
        /// The mean of the patch tokens (timm `global_pool='avg'`).
        case average
    }

    /// Patch side p.
    public var patchSize: Int
    /// Input channels C.
    public var inputChannels: Int
    /// Token width D.
    public var dimension: Int
    /// Number of blocks.
    public var depth: Int
    /// Attention heads per block; divides D.
    public var numHeads: Int
    /// Hidden width of the MLP.
    public var mlpDimension: Int
    /// Whether a class token leads the sequence.
    public var classToken: Bool
    /// Register tokens after the class token (Darcet et al., "Vision Transformers Need Registers", 2024).
    public var registerTokens: Int
    /// How many leading prefix tokens (class, then registers) have a position embedding: all
    /// of them in timm by default, none with timm's `no_embed_class`, the class token only in
    /// transformers' DINOv2 with registers.
    public var positionedPrefixTokens: Int
    /// The grid the position embeddings were learned on.
    public var positionGrid: Grid
    /// How the position grid is resized to another image size.
    public var resampling: PositionEmbeddingResampling
    /// LayerNorm epsilon of every norm.
    public var layerNormEpsilon: Float
    /// Whether each block scales its branches by learned per-channel factors (LayerScale,
    /// Touvron et al., "Going Deeper with Image Transformers", 2021).
    public var layerScale: Bool
    /// Whether the query/key/value projection has a bias.
    public var qkvBias: Bool
    /// Whether the tokens are normalised after the last block (timm `norm`).
    public var finalNorm: Bool
    /// Whether the pooled vector is normalised instead (timm `fc_norm`, with average pooling).
    public var poolNorm: Bool
    /// The pooling for the classifier.
    public var pooling: Pooling
    /// Classes of the classifier head, 0 for none.
    public var numClasses: Int

    /// A token grid: rows and columns of patches.
    public struct Grid: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
        public init(rows: Int, columns: Int) { (self.rows, self.columns) = (rows, columns) }
        public var count: Int { rows * columns }
    }

    /// Tokens before the patches.
    public var prefixTokens: Int { (classToken ? 1 : 0) + registerTokens }

    /// The largest width, MLP width, patch, image side, channel or class count a checkpoint's
    /// configuration may give, and the most blocks, heads and register tokens: far beyond any
    /// published ViT (ViT-22B: 6144 wide, 48 blocks, 48 heads), so that only a broken file
    /// meets them, and it is refused before a loop, a division or an allocation uses the value.
    static let largestSize = 1 << 20, largestCount = 1 << 12

    public init(patchSize: Int, inputChannels: Int, dimension: Int, depth: Int, numHeads: Int, mlpDimension: Int,
                classToken: Bool = true, registerTokens: Int = 0, positionedPrefixTokens: Int? = nil,
                positionGrid: Grid, resampling: PositionEmbeddingResampling = .antialiasedBicubic,
                layerNormEpsilon: Float = 1e-6, layerScale: Bool = false, qkvBias: Bool = true,
                finalNorm: Bool = true, poolNorm: Bool = false, pooling: Pooling = .token, numClasses: Int = 0) {
        self.patchSize = patchSize
        self.inputChannels = inputChannels
        self.dimension = dimension
        self.depth = depth
        self.numHeads = numHeads
        self.mlpDimension = mlpDimension
        self.classToken = classToken
        self.registerTokens = registerTokens
        self.positionedPrefixTokens = positionedPrefixTokens ?? ((classToken ? 1 : 0) + registerTokens)
        self.positionGrid = positionGrid
        self.resampling = resampling
        self.layerNormEpsilon = layerNormEpsilon
        self.layerScale = layerScale
        self.qkvBias = qkvBias
        self.finalNorm = finalNorm
        self.poolNorm = poolNorm
        self.pooling = pooling
        self.numClasses = numClasses
    }
}
