/// What a decode of a file will produce, read from its header without decoding pixels.
public struct ImageInfo: Sendable, Equatable {
    public let format: ImageFormat
    /// Size stored in the file (before EXIF orientation and DCT scaling).
    public let storedWidth: Int
    public let storedHeight: Int
    /// Size a decode produces: after DCT scaling and EXIF orientation (when applied).
    public let width: Int
    public let height: Int
    /// Output channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA).
    public let channels: Int
    /// Output bits per sample (8 or 16).
    public let bitDepth: Int
    /// PNG Adam7 interlacing or progressive JPEG.
    public let interlaced: Bool
    /// EXIF orientation 1–8 (1 when absent or not applied).
    public let orientation: Int
    /// libjpeg-turbo DCT scaling denominator used (1 for PNG).
    public let scaleDenominator: Int
}
