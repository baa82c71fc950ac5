/// How big what vis writes is, by default.
///
/// A render is drawn at the image's own size up to ``defaultMaxSize`` on its long side
/// (`--max-size N` for another cap, `--max-size 0` for full size); mosaics (the `all` mode,
/// per-head grids, patch's two panels, layer grids) are always kept within
/// ``mosaicMaxLongSide`` and ``mosaicMaxPixels`` (``MosaicBounds``).
public enum RenderSize {
    /// Default cap on a render's long side. The maps are a 64-cell grid (at most 512 with
    /// `--grid`), so at 2048 pixels a cell is 32 pixels wide, far past what the map resolves,
    /// and the photo underneath still fills a 2K/QHD screen; a 24-MP camera JPEG is decoded
    /// at half size through libjpeg-turbo's DCT scaling (3000×2000) and shrunk from there.
    public static let defaultMaxSize = 2048
    /// Largest long side of a mosaic (what browsers and viewers show without tiling).
    public static let mosaicMaxLongSide = 4096
    /// Largest area of a mosaic: 16 megapixels, 48 MB of RGB.
    public static let mosaicMaxPixels = 16_000_000

    /// `--max-size` as given (nil: not given) to ``RenderSettings/maxSize``: 0 is full size.
    public static func cap(option: Int?) -> Int? {
        guard let option else { return defaultMaxSize }
        return option == 0 ? nil : option
    }
}
