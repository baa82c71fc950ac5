/// Choices for a decode.
public struct DecodeOptions: Sendable, Equatable {
    /// Pillow's decompression-bomb limit, 2 × 89,478,485 pixels.
    public static let defaultMaxPixels = 2 * 89_478_485

    /// Images with more pixels than this are refused before any pixel buffer is allocated.
    public var maxPixels: Int
    /// When set, a JPEG is decoded through libjpeg-turbo's DCT scaling (1/2, 1/4, 1/8) at the
    /// smallest scale whose output is still at least this large (in stored orientation).
    public var minimumSize: (width: Int, height: Int)?
    /// Accept JPEGs with corrupt-data warnings (premature end, bad Huffman codes) and decode
    /// what is there, as Pillow's `LOAD_TRUNCATED_IMAGES`.
    public var allowTruncated: Bool
    /// Apply the EXIF orientation of JPEGs (values 1–8).
    public var applyOrientation: Bool

    public init(maxPixels: Int = DecodeOptions.defaultMaxPixels,
                minimumSize: (width: Int, height: Int)? = nil,
                allowTruncated: Bool = false,
                applyOrientation: Bool = true) {
        self.maxPixels = maxPixels
        self.minimumSize = minimumSize
        self.allowTruncated = allowTruncated
        self.applyOrientation = applyOrientation
    }

    public static func == (a: DecodeOptions, b: DecodeOptions) -> Bool {
        a.maxPixels == b.maxPixels && a.minimumSize?.width == b.minimumSize?.width
            && a.minimumSize?.height == b.minimumSize?.height
            && a.allowTruncated == b.allowTruncated && a.applyOrientation == b.applyOrientation
    }
}
