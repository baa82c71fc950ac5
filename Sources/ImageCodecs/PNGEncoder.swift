/// Encodes images as PNG (8- or 16-bit, 1–4 channels) and writes them atomically.
public enum PNGEncoder {
    /// PNG bytes of an image; `level` is zlib's compression level 0–9.
    public static func encode(_ image: Image, level: Int = 6) throws(ImageCodecError) -> [UInt8] {
        precondition((0...9).contains(level), "PNG compression level must be 0...9, got \(level)")
        func encode<T>(_ samples: [T], bitDepth: Int) throws(ImageCodecError) -> [UInt8] {
            let result = samples.withUnsafeBytes { raw in
                Result { () throws(ImageCodecError) in
                    try CodecShim.encodePNG(raw, width: image.width, height: image.height, channels: image.channels,
                                            bitDepth: bitDepth, level: level, path: "<memory>")
                }
            }
            return try result.get()
        }
        switch image.samples {
        case .uint8(let s): return try encode(s, bitDepth: 8)
        case .uint16(let s): return try encode(s, bitDepth: 16)
        }
    }

    /// Encodes and writes atomically (temporary file in the same folder, then rename).
    public static func write(_ image: Image, to path: String, level: Int = 6) throws(ImageCodecError) {
        let bytes = try encode(image, level: level)
        try AtomicFile.write(bytes, to: path)
    }
}
