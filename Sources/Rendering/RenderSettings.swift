import Attention
import Overlay

/// Everything a render needs besides the image and the weights.
public struct RenderSettings: Sendable {
    public var query: QueryPoint = .auto
    public var colormap: Colormap = .jet
    /// Heat-map opacity in [0, 1]; 0 leaves the image untouched.
    public var alpha: Float = 0.5
    public var normalization: HeatmapNormalization = .minMax
    public var upsampling: Upsampling = .bilinear
    /// Per-head grids for axial and self.
    public var heads = false
    /// Append a colour bar to heat maps.
    public var colorBar = false
    /// Grid cells along the long side for the weight-free default (64–128 is typical).
    public var gridLongSide = 64
    /// Pixels per grid cell at the working resolution of the weight-free default.
    public var cellSize = 8
    /// Cap on the rendered image's long side (nil: original resolution); see ``RenderSize``.
    public var maxSize: Int? = RenderSize.defaultMaxSize
    /// Glimpses: count, patch size g (working pixels), scales k, scale factor s, policy.
    public var glimpseCount = 6
    public var glimpsePatchSize = 32
    public var glimpseScales = 3
    public var glimpseScaleFactor = 2.0
    public var glimpseSeed: UInt64? = nil
    /// Given glimpse centres in original-image pixels (x, y), instead of choosing them.
    public var glimpseLocations: [(x: Double, y: Double)]? = nil
    /// Axial composition: sequential (attn_w ∘ attn_h) or summed.
    public var axialSummed = false

    /// Trained networks (`--model`): the block whose attention `cls`, `mask` and `self` show
    /// (nil: the last), or every block as a layer-by-head grid.
    public var layer: LayerChoice = .last
    /// One head of a trained network's maps (nil: the mean, or every head with `heads`).
    public var head: Int? = nil
    /// `self` on a trained network: the class token or a register as the query, instead of
    /// the patch under `query`.
    public var queryToken: TokenLayout.Token? = nil
    /// Rollout: how heads are fused and the share of smallest weights discarded per block.
    public var headFusion: AttentionRollout.HeadFusion = .mean
    public var discardRatio = 0.0
    /// DINO mask: the share of the class token's attention the kept patches hold.
    public var mass = 0.6
    /// Long side of the network's input in pixels (nil: the checkpoint's input size); the
    /// short side follows the image's aspect ratio, both rounded to whole patches.
    public var networkLongSide: Int? = nil
    /// Resize and centre-crop as timm's evaluation transform does (the checkpoint's
    /// `crop_pct`) instead of the whole image at its aspect ratio.
    public var networkCrop = false
    /// Images whose long side is below this are enlarged by a whole factor (nearest
    /// neighbour) before drawing, so that a 28×28 digit's map can be read (nil: never).
    public var enlargeBelow: Int? = nil
    /// Recurrent Attention Model: sampled runs whose log-probabilities are averaged (the
    /// reference's test procedure); 1 is the deterministic mean policy. The seed is `glimpseSeed`.
    public var samples = 1

    /// Which block of a trained network a map shows.
    public enum LayerChoice: Sendable, Equatable {
        case last
        /// Block `index`, counted from 0.
        case block(Int)
        /// Every block, one row of the layer-by-head grid each.
        case all
    }

    public init() {}
}
