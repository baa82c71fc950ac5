/// Decodes PNG and JPEG files, recognised by signature, with limits checked from the header
/// before any pixel buffer is allocated.
///
/// PNG: every colour type and bit depth, Adam7, palette and tRNS expanded (tRNS becomes an
/// alpha channel), 16-bit kept 16-bit, no gamma correction. JPEG: grey stays 1 channel;
/// YCbCr, RGB, CMYK and YCCK become RGB; progressive, restart markers and arithmetic coding
/// as libjpeg-turbo supports; EXIF orientation applied; optional DCT scaling.
public enum ImageDecoder {
    /// Reads the header of a file and says what a decode with `options` will produce.
    public static func probe(path: String, options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> ImageInfo {
        try probe(bytes: ImageCodecError.readFile(path), name: path, options: options)
    }

    /// Reads the header of in-memory data (`name` is used in errors).
    public static func probe(bytes: [UInt8], name: String, options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> ImageInfo {
        try plan(bytes: bytes, name: name, options: options).info
    }

    /// Decodes a file.
    public static func decode(path: String, options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> Image {
        try decode(bytes: ImageCodecError.readFile(path), name: path, options: options)
    }

    /// Decodes in-memory data (`name` is used in errors).
    public static func decode(bytes: [UInt8], name: String, options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> Image {
        let plan = try plan(bytes: bytes, name: name, options: options)
        let info = plan.info
        let (w, h, c) = (plan.header.width, plan.header.height, plan.header.channels)
        // Decodes into a fresh, uninitialised sample array of the element type the header asks for.
        func samples<T: FixedWidthInteger>(_: T.Type) throws(ImageCodecError) -> [T] {
            var failure: ImageCodecError?
            let samples = [T](unsafeUninitializedCapacity: w * h * c) { buffer, initialized in
                failure = Self.decode(info, bytes, options: options, into: UnsafeMutableRawBufferPointer(buffer), name: name)
                initialized = buffer.count
            }
            if let failure { throw failure }
            return samples
        }
        let image = plan.header.bitDepth == 16
            ? Image(width: w, height: h, channels: c, samples: .uint16(try samples(UInt16.self)))
            : Image(width: w, height: h, channels: c, samples: .uint8(try samples(UInt8.self)))
        return image.oriented(info.orientation)
    }

    /// Decodes into `out`, which the decoders fill completely on success (every row, every
    /// Adam7 pass, every JPEG scanline); returns the failure instead of throwing.
    ///
    /// The sample array is left uninitialised rather than zero-filled, so its pages are only
    /// touched as rows are decoded: a 527-byte JPEG declaring 13000×13000 that ends after its
    /// header costs a few rows, not the 507 MB a zero fill would make resident.
    private static func decode(_ info: ImageInfo, _ bytes: [UInt8], options: DecodeOptions,
                               into out: UnsafeMutableRawBufferPointer, name: String) -> ImageCodecError? {
        do throws(ImageCodecError) {
            try CodecShim.decode(info.format, bytes, scaleDenominator: info.scaleDenominator,
                                 allowTruncated: options.allowTruncated, into: out, path: name)
            return nil
        } catch { return error }
    }

    /// Sniff, probe, limits and scale choice: everything decided before allocation.
    private static func plan(bytes: [UInt8], name: String, options: DecodeOptions)
        throws(ImageCodecError) -> (info: ImageInfo, header: CodecShim.Header) {
        if bytes.isEmpty { throw ImageCodecError(.empty, path: name, message: "0 bytes") }
        let format: ImageFormat
        switch ImageFormat.sniff(bytes) {
        case .supported(let f): format = f
        case .unsupported(let n): throw ImageCodecError(.unsupportedFormat(n), path: name, message: n)
        case .unknown:
            let head = bytes.prefix(8).map { String($0, radix: 16).leftPadded(2) }.joined(separator: " ")
            throw ImageCodecError(.unsupportedFormat("unknown signature \(head)"), path: name, message: "not PNG or JPEG")
        }
        if format == .png { try checkPNGHeader(bytes, name: name, maxPixels: options.maxPixels) }
        var header: CodecShim.Header
        do {
            header = try CodecShim.probe(format, bytes, scaleDenominator: 1, path: name)
        } catch where error.kind == .corrupt && error.message.hasPrefix("Empty JPEG image") {
            throw ImageCodecError(.zeroSize, path: name, message: error.message)
        }
        let (sw, sh) = (header.storedWidth, header.storedHeight)
        if sw == 0 || sh == 0 { throw ImageCodecError(.zeroSize, path: name, message: "\(sw)×\(sh)") }
        if sw > options.maxPixels / sh {
            throw ImageCodecError(.tooLarge(width: sw, height: sh, limit: options.maxPixels), path: name, message: "")
        }
        let orientation = (format == .jpeg && options.applyOrientation) ? (ExifOrientation.read(jpeg: bytes) ?? 1) : 1
        var denominator = 1
        if format == .jpeg, let wanted = options.minimumSize {
            // Wanted size is in output orientation; the scale applies to the stored one.
            let (ww, wh) = orientation >= 5 ? (wanted.height, wanted.width) : (wanted.width, wanted.height)
            for d in [8, 4, 2] where (sw + d - 1) / d >= ww && (sh + d - 1) / d >= wh {
                denominator = d
                break
            }
            if denominator != 1 { header = try CodecShim.probe(format, bytes, scaleDenominator: denominator, path: name) }
        }
        let swaps = orientation >= 5
        let info = ImageInfo(format: format, storedWidth: sw, storedHeight: sh,
                             width: swaps ? header.height : header.width, height: swaps ? header.width : header.height,
                             channels: header.channels, bitDepth: header.bitDepth, interlaced: header.interlaced,
                             orientation: orientation, scaleDenominator: denominator)
        return (info, header)
    }
}

/// Zero or over-limit sizes straight from the PNG IHDR, before libpng sees the file.
private func checkPNGHeader(_ bytes: [UInt8], name: String, maxPixels: Int) throws(ImageCodecError) {
    // signature (8) + length (4) + "IHDR" (4) + width (4) + height (4)
    guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return }
    func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
    let (w, h) = (be32(16), be32(20))
    if w == 0 || h == 0 { throw ImageCodecError(.zeroSize, path: name, message: "IHDR declares \(w)×\(h)") }
    if w > maxPixels / h { throw ImageCodecError(.tooLarge(width: w, height: h, limit: maxPixels), path: name, message: "") }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
