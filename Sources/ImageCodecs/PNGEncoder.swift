import CImageCodecs
import FileSystem
/// Encodes images as PNG (8- or 16-bit, 1–4 channels) and writes them atomically.
///
/// `level` 0–9 follows zlib's scale, with one exception at level 1 for 8-bit images: those
/// go through vis's own writer (`vis_png_fast`, in the spirit of Google's fpnge: the best of
/// Sub/Up/Average/Paeth per row, one dynamic-Huffman deflate block per ~256 KB band, run
/// matches at distance 1 or one pixel only), about 2–3× faster than zlib level 1 through
/// libpng and, on photos, 20–25% smaller. Images of 8 MB and more are cut into up to 8 row
/// ranges encoded in parallel (``partCount(_:)``). Levels 0 and 2–9, and every 16-bit image, go
/// through libpng and zlib at that level (0 and 1 with the Sub filter and Z_RLE).
public enum PNGEncoder {
    /// The level that selects vis's own fast writer for 8-bit images.
    public static let fastLevel = 1

    /// PNG bytes of an image; `level` is the compression level 0–9 (see the type's notes).
    public static func encode(_ image: Image, level: Int = 6) throws(ImageCodecError) -> [UInt8] {
        precondition((0...9).contains(level), "PNG compression level must be 0...9, got \(level)")
        return try encode(image, level: level, fd: nil)
    }

    /// Encodes and writes atomically (temporary file in the same folder, then rename). The
    /// fast writer streams into the file as it goes, without the whole PNG in memory.
    public static func write(_ image: Image, to path: String, level: Int = 6) throws(ImageCodecError) {
        precondition((0...9).contains(level), "PNG compression level must be 0...9, got \(level)")
        if usesFastWriter(image, level: level), case .uint8(let samples) = image.samples {
            let parts = partCount(image)
            if parts > 1 {
                try samples.withUnsafeBytes { raw in
                    Result { () throws(ImageCodecError) in
                        try CodecShim.withFastPNGParts(raw, width: image.width, height: image.height,
                                                       channels: image.channels, parts: parts, path: path) { (pieces) throws(ImageCodecError) in
                            try AtomicFile.write(to: path, as: ImageCodecError.init) { (fd) throws(ImageCodecError) in
                                try writePieces(pieces, to: fd, path: path)
                            }
                        }
                    }
                }.get()
                return
            }
        }
        if usesFastWriter(image, level: level) {
            try AtomicFile.write(to: path, as: ImageCodecError.init) { (fd) throws(ImageCodecError) in
                _ = try encode(image, level: level, fd: fd, path: path)
            }
        } else {
            let bytes = try encode(image, level: level, fd: nil)
            do { try AtomicFile.write(bytes, to: path) } catch { throw ImageCodecError(error) }
        }
    }

    /// Writes atomically, with vis's fast writer (level 1), an 8-bit image that never exists
    /// whole: `produce(rows, buffer)` draws rows `rows` (row-major, `width·channels` bytes
    /// each) into `buffer`, a few rows at a time; big images are cut into parts as in
    /// ``write(_:to:level:)``, so it is called from several threads at once, for disjoint
    /// ranges (the row above each part is asked for twice). The file is the one
    /// `write(Image(…all rows…), to: path, level: 1)` would give.
    ///
    /// Shape: `height` rows of `width × channels` bytes, channels 1–4.
    public static func writeRows(width: Int, height: Int, channels: Int, to path: String,
                                 produce: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<UInt8>) -> Void)
        throws(ImageCodecError) {
        precondition(width > 0 && height > 0 && (1...4).contains(channels),
                     "need a positive size and 1...4 channels, got \(width)×\(height)×\(channels)")
        let parts = partCount(width: width, height: height, channels: channels)
        try CodecShim.withFastPNGParts(width: width, height: height, channels: channels, parts: parts, path: path,
                                       rows: { range, scratch in produce(range, scratch); return UnsafePointer(scratch) })
        { (pieces) throws(ImageCodecError) in
            try AtomicFile.write(to: path, as: ImageCodecError.init) { (fd) throws(ImageCodecError) in
                try writePieces(pieces, to: fd, path: path)
            }
        }
    }

    /// Writes the encoded parts in order to the temporary file of an atomic write.
    private static func writePieces(_ pieces: [UnsafeRawBufferPointer], to fd: Int32, path: String) throws(ImageCodecError) {
        do {
            for piece in pieces { try AtomicFile.writeAll(fd, piece, path: path) }
        } catch {
            throw ImageCodecError(error)
        }
    }

    static func usesFastWriter(_ image: Image, level: Int) -> Bool {
        level == fastLevel && image.bitDepth == 8
    }

    /// Raw bytes per part when the fast writer splits a big image into row ranges encoded in
    /// parallel (each part ends on a byte boundary, so the parts' bytes concatenate).
    public static let bytesPerPart = 4 << 20

    /// Parts for the fast writer: 1 (one streaming pass) up to 8 for images of 8 MB and more.
    static func partCount(_ image: Image) -> Int {
        partCount(width: image.width, height: image.height, channels: image.channels)
    }

    static func partCount(width: Int, height: Int, channels: Int) -> Int {
        if vis_png_fast_single_part() != 0 { return 1 }
        return Swift.max(1, Swift.min(8, height, width * height * channels / bytesPerPart))
    }

    /// The fast writer's PNG of an 8-bit image encoded as `parts` row ranges in parallel
    /// (what ``write(_:to:level:)`` does for big images at level 1). Shape: any 8-bit image.
    static func encodeInParts(_ image: Image, parts: Int) throws(ImageCodecError) -> [UInt8] {
        guard case .uint8(let samples) = image.samples else { preconditionFailure("8-bit images only") }
        var out: [UInt8] = []
        try samples.withUnsafeBytes { raw in
            Result { () throws(ImageCodecError) in
                try CodecShim.withFastPNGParts(raw, width: image.width, height: image.height, channels: image.channels,
                                               parts: parts, path: "<memory>") { pieces in
                    for piece in pieces { out.append(contentsOf: piece) }
                }
            }
        }.get()
        return out
    }

    private static func encode(_ image: Image, level: Int, fd: Int32?, path: String = "<memory>") throws(ImageCodecError) -> [UInt8] {
        func encode<T>(_ samples: [T], bitDepth: Int) throws(ImageCodecError) -> [UInt8] {
            let result = samples.withUnsafeBytes { raw in
                Result { () throws(ImageCodecError) in
                    if bitDepth == 8 && level == fastLevel {
                        return try CodecShim.encodeFastPNG(raw, width: image.width, height: image.height,
                                                           channels: image.channels, fd: fd, path: path)
                    }
                    return try CodecShim.encodePNG(raw, width: image.width, height: image.height, channels: image.channels,
                                                   bitDepth: bitDepth, level: level, path: path)
                }
            }
            return try result.get()
        }
        switch image.samples {
        case .uint8(let s): return try encode(s, bitDepth: 8)
        case .uint16(let s): return try encode(s, bitDepth: 16)
        }
    }
}
