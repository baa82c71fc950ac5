import CImageCodecs

/// Whole-buffer gzip decompression through zlib (the MNIST files are kept gzipped).
enum GzipData {
    /// The bytes that `data` inflates to, at most `limit` of them.
    ///
    /// The gzip trailer's ISIZE field (the length modulo 2³²) sizes the buffer; a stream
    /// that inflates to more than that, or than `limit`, is refused as corrupt.
    /// Errors: `.corrupt` (bad header, deflate data, CRC-32 or length, or too long),
    /// `.truncated` (the stream ends early), `.outOfMemory`.
    static func inflate(_ data: [UInt8], path: String, limit: Int = 1 << 30) throws(ImageCodecError) -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else {
            throw ImageCodecError(.corrupt, path: path, message: "not a gzip file (no 1f 8b signature)")
        }
        let tail = data.count - 4
        let isize = Int(data[tail]) | Int(data[tail + 1]) << 8 | Int(data[tail + 2]) << 16 | Int(data[tail + 3]) << 24
        let capacity = Swift.min(isize, limit)
        var out = [UInt8](repeating: 0, count: capacity)
        var written = 0
        var message = [CChar](repeating: 0, count: CodecShim.messageCapacity)
        let status = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                message.withUnsafeMutableBufferPointer { text in
                    vis_gunzip(input.baseAddress, input.count, output.baseAddress, output.count,
                               &written, text.baseAddress, text.count)
                }
            }
        }
        guard status == VIS_OK else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw CodecShim.error(status, path: path, message: text)
        }
        if written < out.count { out.removeSubrange(written...) }
        return out
    }
}
