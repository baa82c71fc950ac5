/// A decode, probe or encode failure, naming the file and what is wrong with it.
///
/// `kind` says which failure it is (tests and the CLI switch on it); `message` carries the
/// detail, often libpng's or libjpeg's own words.
public struct ImageCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// No file at the path.
        case notFound
        /// The path is a directory.
        case isDirectory
        /// The file exists but cannot be read (permissions, I/O error).
        case unreadable
        /// The file has zero bytes.
        case empty
        /// The signature names a format vis does not read (GIF, WebP, ...), or none at all.
        case unsupportedFormat(String)
        /// The format is recognised, but this variant is not supported (e.g. 12-bit JPEG).
        case unsupportedVariant
        /// The library rejected the data (bad CRC in a critical chunk, invalid header, ...).
        case corrupt
        /// The data ends before the image does.
        case truncated
        /// Zero width or height.
        case zeroSize
        /// More pixels than the configured limit (decompression-bomb guard).
        case tooLarge(width: Int, height: Int, limit: Int)
        /// Memory could not be allocated.
        case outOfMemory
        /// The output could not be written.
        case writeFailed
    }

    public let kind: Kind
    /// The file (or the name given for in-memory data).
    public let path: String
    /// The detail: what the library or the check said.
    public let message: String

    public init(_ kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String {
        switch kind {
        case .notFound: return "\(path): no such file"
        case .isDirectory: return "\(path): is a directory, not an image file"
        case .unreadable: return "\(path): cannot be read: \(message)"
        case .empty: return "\(path): empty file (0 bytes)"
        case .unsupportedFormat(let name): return "\(path): unsupported format (\(name)); vis reads PNG and JPEG"
        case .unsupportedVariant: return "\(path): unsupported image variant: \(message)"
        case .corrupt: return "\(path): corrupt image: \(message)"
        case .truncated: return "\(path): truncated image: \(message)"
        case .zeroSize: return "\(path): image has zero width or height (\(message))"
        case .tooLarge(let w, let h, let limit):
            return "\(path): image too large: \(w)×\(h) = \(w * h) pixels exceeds the limit of \(limit)"
        case .outOfMemory: return "\(path): out of memory: \(message)"
        case .writeFailed: return "\(path): cannot write: \(message)"
        }
    }
}
