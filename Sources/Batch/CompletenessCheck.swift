#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// Decides whether an output PNG was written to the end, for `--resume`.
///
/// A file is complete when it has the PNG signature, its chunks can be walked from the first
/// (`IHDR`, 13 bytes) to an `IEND` chunk of length 0 whose CRC is right (`AE 42 60 82`), and
/// the file ends exactly there. The walk reads only the 8-byte chunk headers and seeks over
/// the data, so it costs a few reads per file whatever its size; chunk CRCs other than
/// IEND's are not checked (a writer that was cut off leaves a short file, not a bad CRC).
/// Follows the chunk layout of the PNG specification (ISO/IEC 15948, §5.3).
///
/// A JPEG (the gallery preview, `<stem>_preview.jpg`) is complete when it starts with SOI
/// (`FF D8 FF`) and its last two bytes are the EOI marker `FF D9` (ITU T.81, B.2.1): a
/// writer cut off mid-scan leaves neither there.
public enum CompletenessCheck {
    /// The outcome for one path.
    public enum Outcome: Sendable, Equatable {
        case complete
        case missing
        /// The file exists but is not a whole PNG; the reason says where it breaks.
        case incomplete(String)
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// SOI and the first byte of the next marker.
    static let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF]
    /// CRC-32 of the four bytes "IEND" (the chunk has no data).
    static let iendCRC: UInt32 = 0xAE42_6082

    /// Whether every path is a complete PNG.
    public static func allComplete(_ paths: [String]) -> Bool {
        paths.allSatisfy { check($0) == .complete }
    }

    public static func check(_ path: String) -> Outcome {
        let file: ReadableFile
        do { file = try ReadableFile(path: path) } catch {
            return error.code == ENOENT ? .missing : .incomplete("cannot be opened: \(error.message)")
        }
        guard file.kind == .regularFile else { return .incomplete("not a regular file") }
        let size = file.size
        func read(_ count: Int, at offset: Int) -> [UInt8]? { try? file.read(count: count, at: offset) }
        if let head = read(3, at: 0), head == jpegStart {
            guard size >= 4, let tail = read(2, at: size - 2), tail == [0xFF, 0xD9] else {
                return .incomplete("JPEG does not end with the EOI marker")
            }
            return .complete
        }
        guard let head = read(8, at: 0), head == signature else {
            return .incomplete("no PNG signature")
        }
        var offset = 8
        var first = true
        while true {
            guard let header = read(8, at: offset), header.count == 8 else {
                return .incomplete("ends at byte \(offset) before the IEND chunk")
            }
            let length = Int(bigEndian32(header, 0))
            let type = String(decoding: header[4..<8], as: UTF8.self)
            guard length <= 0x7FFF_FFFF else { return .incomplete("chunk at byte \(offset) has length \(length)") }
            if first {
                guard type == "IHDR", length == 13 else { return .incomplete("first chunk is \(type), not IHDR") }
                first = false
            }
            let end = offset + 8 + length + 4
            guard end <= size else {
                return .incomplete("chunk \(type) at byte \(offset) needs \(end) bytes, the file has \(size)")
            }
            if type == "IEND" {
                guard length == 0 else { return .incomplete("IEND chunk has length \(length), not 0") }
                guard let crc = read(4, at: offset + 8), crc.count == 4,
                      bigEndian32(crc, 0) == iendCRC
                else { return .incomplete("IEND chunk has a wrong CRC") }
                guard end == size else { return .incomplete("\(size - end) bytes after the IEND chunk") }
                return .complete
            }
            offset = end
        }
    }

    private static func bigEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
