import FileSystem
/// Encodes 8-bit grey or RGB images as baseline JPEG through libjpeg-turbo and writes them
/// atomically: the gallery's previews of photographs, a tenth of a PNG's bytes.
///
/// Quality follows libjpeg's scale (`cjpeg -quality`, 1–100, with its standard tables scaled
/// and 4:2:0 chroma for colour); ``previewQuality`` is the one vis uses.
///
/// Shape: `height × width × channels` 8-bit samples, channels 1 or 3.
public enum JPEGEncoder {
    /// Quality of the gallery previews: libjpeg's own default (`cjpeg`), visually lossless
    /// at the size they are shown.
    public static let previewQuality = 75

    /// JPEG bytes of an image.
    public static func encode(_ image: Image, quality: Int = previewQuality, path: String = "<memory>")
        throws(ImageCodecError) -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality must be 1...100, got \(quality)")
        guard case .uint8(let samples) = image.samples, image.channels == 1 || image.channels == 3 else {
            throw ImageCodecError(.writeFailed, path: path,
                                  message: "JPEG holds 8-bit grey or RGB, not \(image.channels) channels of \(image.bitDepth) bits")
        }
        return try samples.withUnsafeBytes { raw in
            Result { () throws(ImageCodecError) in
                try CodecShim.encodeJPEG(raw, width: image.width, height: image.height, channels: image.channels,
                                         quality: quality, path: path)
            }
        }.get()
    }

    /// Encodes and writes atomically (temporary file in the same folder, then rename).
    public static func write(_ image: Image, to path: String, quality: Int = previewQuality) throws(ImageCodecError) {
        let bytes = try encode(image, quality: quality, path: path)
        do { try AtomicFile.write(bytes, to: path) } catch { throw ImageCodecError(error) }
    }
}
