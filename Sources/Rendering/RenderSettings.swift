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

    public init() {}
}
