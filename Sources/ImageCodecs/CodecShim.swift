import CImageCodecs
import Dispatch

/// The one internal layer that calls the C shim and turns its status codes into
/// `ImageCodecError`s. C types never leave this file.
enum CodecShim {
    static let messageCapacity = 512

    struct Header {
        var width, height, storedWidth, storedHeight, channels, bitDepth: Int
        var interlaced: Bool
    }

    /// Calls a shim entry point with a message buffer and maps a failure to an error.
    private static func call(_ path: String,
                             _ body: (UnsafeMutablePointer<vis_image_info>, UnsafeMutablePointer<CChar>, Int) -> vis_status)
        throws(ImageCodecError) -> vis_image_info {
        var info = vis_image_info()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            body(&info, buffer.baseAddress!, messageCapacity)
        }
        if status == VIS_OK { return info }
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw error(status, path: path, message: text)
    }

    static func error(_ status: vis_status, path: String, message: String) -> ImageCodecError {
        switch status {
        case VIS_ERR_TRUNCATED: return ImageCodecError(.truncated, path: path, message: message)
        case VIS_ERR_UNSUPPORTED: return ImageCodecError(.unsupportedVariant, path: path, message: message)
        case VIS_ERR_MEMORY: return ImageCodecError(.outOfMemory, path: path, message: message)
        default: return ImageCodecError(.corrupt, path: path, message: message.isEmpty ? "rejected by the decoder" : message)
        }
    }

    private static func header(_ i: vis_image_info) -> Header {
        Header(width: Int(i.width), height: Int(i.height), storedWidth: Int(i.full_width),
               storedHeight: Int(i.full_height), channels: Int(i.channels), bitDepth: Int(i.bit_depth),
               interlaced: i.interlaced != 0)
    }

    static func probe(_ format: ImageFormat, _ bytes: [UInt8], scaleDenominator: Int, path: String) throws(ImageCodecError) -> Header {
        let info = try bytes.withUnsafeBufferPointer { (data) throws(ImageCodecError) -> vis_image_info in
            try call(path) { info, message, capacity in
                switch format {
                case .png: return vis_png_probe(data.baseAddress, data.count, info, message, capacity)
                case .jpeg: return vis_jpeg_probe(data.baseAddress, data.count, UInt32(scaleDenominator), info, message, capacity)
                }
            }
        }
        return header(info)
    }

    /// Decodes into `out`, which must hold the probe's width·height·channels·(bitDepth/8) bytes.
    static func decode(_ format: ImageFormat, _ bytes: [UInt8], scaleDenominator: Int, allowTruncated: Bool,
                       into out: UnsafeMutableRawBufferPointer, path: String) throws(ImageCodecError) {
        _ = try bytes.withUnsafeBufferPointer { (data) throws(ImageCodecError) -> vis_image_info in
            try call(path) { info, message, capacity in
                let target = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                switch format {
                case .png: return vis_png_decode(data.baseAddress, data.count, target, out.count, info, message, capacity)
                case .jpeg:
                    return vis_jpeg_decode(data.baseAddress, data.count, UInt32(scaleDenominator), allowTruncated ? 1 : 0,
                                           target, out.count, info, message, capacity)
                }
            }
        }
    }

    /// PNG bytes for 8- or 16-bit samples.
    static func encodePNG(_ samples: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int,
                          bitDepth: Int, level: Int, path: String) throws(ImageCodecError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            vis_png_encode(samples.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(width), UInt32(height),
                           UInt32(channels), UInt32(bitDepth), Int32(level), &out, &size, buffer.baseAddress!, messageCapacity)
        }
        guard status == VIS_OK, let result = out else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageCodecError(.writeFailed, path: path, message: "PNG encoding failed: \(text)")
        }
        defer { vis_free(result) }
        return Array(UnsafeBufferPointer(start: result, count: size))
    }

    /// JPEG bytes (libjpeg-turbo at `quality`) of 8-bit grey or RGB samples.
    static func encodeJPEG(_ samples: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int,
                           quality: Int, path: String) throws(ImageCodecError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            vis_jpeg_encode(samples.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(width), UInt32(height),
                            UInt32(channels), Int32(quality), &out, &size, buffer.baseAddress!, messageCapacity)
        }
        guard status == VIS_OK, let result = out else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageCodecError(status == VIS_ERR_MEMORY ? .outOfMemory : .writeFailed, path: path,
                                  message: "JPEG encoding failed: \(text)")
        }
        defer { vis_free(result) }
        return Array(UnsafeBufferPointer(start: result, count: size))
    }

    /// PNG of 8-bit samples through the shim's own fast writer (vis_png_fast): into `fd`
    /// when given (returns []), else into memory.
    static func encodeFastPNG(_ samples: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int,
                              fd: Int32?, path: String) throws(ImageCodecError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            vis_png_fast_encode(samples.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(width), UInt32(height),
                                UInt32(channels), fd ?? -1, &out, &size, buffer.baseAddress!, messageCapacity)
        }
        guard status == VIS_OK else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageCodecError(status == VIS_ERR_MEMORY ? .outOfMemory : .writeFailed, path: path,
                                  message: "PNG encoding failed: \(text)")
        }
        guard let result = out else { return [] }
        defer { vis_free(result) }
        return Array(UnsafeBufferPointer(start: result, count: size))
    }

    /// The fast writer's PNG of 8-bit samples encoded as `parts` row ranges in parallel
    /// (vis_png_fast_part), handed to `body` as the file's pieces in order (signature and
    /// IHDR, the parts' IDAT chunks, the Adler-32 IDAT and IEND), then freed.
    static func withFastPNGParts(_ samples: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int,
                                 parts: Int, path: String,
                                 _ body: ([UnsafeRawBufferPointer]) throws(ImageCodecError) -> Void)
        throws(ImageCodecError) {
        nonisolated(unsafe) let pixels = samples.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let stride = width * channels
        try withFastPNGParts(width: width, height: height, channels: channels, parts: parts, path: path,
                             rows: { range, _ in UnsafePointer(pixels + range.lowerBound * stride) }, body)
    }

    /// Rows produced on demand: `rows(range, scratch)` returns where rows `range` lie
    /// (row-major, width·channels bytes each), either in the image or in `scratch`
    /// (room for ``fastPartBandRows`` rows) after filling it; it is called from several
    /// threads at once for disjoint ranges (and for the row above each part).
    static func withFastPNGParts(width: Int, height: Int, channels: Int, parts: Int, path: String,
                                 rows: @Sendable (Range<Int>, UnsafeMutablePointer<UInt8>) -> UnsafePointer<UInt8>,
                                 _ body: ([UnsafeRawBufferPointer]) throws(ImageCodecError) -> Void)
        throws(ImageCodecError) {
        precondition(parts >= 1 && parts <= height, "parts must be 1...\(height), got \(parts)")
        struct Part { var bytes: UnsafeMutablePointer<UInt8>?; var size = 0; var adler: UInt32 = 1
                      var status = VIS_OK; var message = "" }
        var results = [Part](repeating: Part(bytes: nil), count: parts)
        let stride = width * channels
        let band = fastPartBandRows
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer   // each iteration writes its own slot
            DispatchQueue.concurrentPerform(iterations: parts) { k in
                let (first, end) = (k * height / parts, (k + 1) * height / parts)
                var message = [CChar](repeating: 0, count: messageCapacity)
                var scratch = [UInt8](repeating: 0, count: band * stride)
                var part = Part(bytes: nil)
                part.status = message.withUnsafeMutableBufferPointer { m in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        let scratch = scratch.baseAddress!
                        var writer: OpaquePointer? = nil
                        let previous = first > 0 ? rows((first - 1)..<first, scratch) : nil
                        var status = vis_png_fast_part_begin(UInt32(width), UInt32(height), UInt32(channels),
                                                             UInt32(first), UInt32(end), previous, &writer,
                                                             m.baseAddress!, messageCapacity)
                        guard status == VIS_OK, let writer else { return status }
                        var row = first
                        while row < end && status == VIS_OK {
                            let count = Swift.min(band, end - row)
                            status = vis_png_fast_rows(writer, rows(row..<(row + count), scratch), stride, UInt32(count))
                            row += count
                        }
                        return vis_png_fast_part_finish(writer, &part.bytes, &part.size, &part.adler)
                    }
                }
                if part.status != VIS_OK { part.message = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } }
                results[k] = part
            }
        }
        defer { for part in results { vis_free(part.bytes) } }
        if let failed = results.first(where: { $0.status != VIS_OK }) {
            throw ImageCodecError(failed.status == VIS_ERR_MEMORY ? .outOfMemory : .writeFailed, path: path,
                                  message: "PNG encoding failed: \(failed.message)")
        }
        var adler = results[0].adler
        for k in 1..<parts {
            let length = ((k + 1) * height / parts - k * height / parts) * (stride + 1)
            adler = vis_png_fast_adler_combine(adler, results[k].adler, length)
        }
        var head = [UInt8](repeating: 0, count: 33), tail = [UInt8](repeating: 0, count: 28)
        head.withUnsafeMutableBufferPointer { vis_png_fast_head(UInt32(width), UInt32(height), UInt32(channels), $0.baseAddress!) }
        tail.withUnsafeMutableBufferPointer { vis_png_fast_tail(adler, $0.baseAddress!) }
        try head.withUnsafeBytes { h in
            tail.withUnsafeBytes { t in
                Result { () throws(ImageCodecError) in
                    try body([h] + results.map { UnsafeRawBufferPointer(start: $0.bytes, count: $0.size) } + [t])
                }
            }
        }.get()
    }

    /// Rows per call of a part's row source.
    static let fastPartBandRows = 16
}
