/// The two formats vis decodes, recognised by their signature, never by the extension.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case png
    case jpeg

    /// Outcome of looking at a file's first bytes.
    public enum Sniff: Equatable, Sendable {
        case supported(ImageFormat)
        /// A known format vis does not read, by name ("GIF", "WebP", ...).
        case unsupported(String)
        /// No known signature.
        case unknown
    }

    /// Recognises a format from the first bytes of a file (16 are enough).
    public static func sniff<C: Collection>(_ bytes: C) -> Sniff where C.Element == UInt8 {
        let b = Array(bytes.prefix(16))
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + sig.count && Array(b[offset..<(offset + sig.count)]) == sig
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .supported(.png) }
        if starts([0xFF, 0xD8, 0xFF]) { return .supported(.jpeg) }
        let ascii = { (s: String) in Array(s.utf8) }
        if starts(ascii("GIF87a")) || starts(ascii("GIF89a")) { return .unsupported("GIF") }
        if starts(ascii("RIFF")) && starts(ascii("WEBP"), at: 8) { return .unsupported("WebP") }
        if starts(ascii("BM")) { return .unsupported("BMP") }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .unsupported("TIFF") }
        if starts(ascii("ftypavif"), at: 4) || starts(ascii("ftypavis"), at: 4) { return .unsupported("AVIF") }
        if starts(ascii("ftyphei"), at: 4) || starts(ascii("ftypmif1"), at: 4) || starts(ascii("ftypheix"), at: 4) {
            return .unsupported("HEIF")
        }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || starts([0xFF, 0x4F, 0xFF, 0x51]) {
            return .unsupported("JPEG 2000")
        }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) { return .unsupported("JPEG XL") }
        if starts(ascii("qoif")) { return .unsupported("QOI") }
        if starts(ascii("8BPS")) { return .unsupported("PSD") }
        if starts([0x00, 0x00, 0x01, 0x00]) { return .unsupported("ICO") }
        if starts(ascii("%PDF")) { return .unsupported("PDF") }
        if starts(ascii("P1")) || starts(ascii("P2")) || starts(ascii("P3")) || starts(ascii("P4"))
            || starts(ascii("P5")) || starts(ascii("P6")) { return .unsupported("PNM") }
        if starts([0x76, 0x2F, 0x31, 0x01]) { return .unsupported("OpenEXR") }
        return .unknown
    }
}
