#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure, naming the path, the step that failed and why.
///
/// `kind` says which failure it is (callers map it onto their own error cases); `operation`
/// is the step (`open`, `read`, `create <temporary>`, `rename`, …); `message` is the system's
/// reason (`strerror`) or what the check found ("0 bytes", "a device, not a regular file").
public struct FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// No file at the path (`ENOENT`, or a path component is not a folder).
        case notFound
        /// The path is a folder where a file was wanted.
        case isDirectory
        /// The file exists but cannot be read: permissions, I/O error, a device, too long.
        case unreadable
        /// The file has zero bytes.
        case empty
        /// The file or folder could not be written or created.
        case writeFailed
    }

    public let kind: Kind
    /// The path the failure concerns (for an atomic write: the target, not the temporary).
    public let path: String
    /// The step that failed.
    public let operation: String
    /// The system's reason or the check's finding.
    public let message: String
    /// `errno` of the failed call, 0 when a check (not a system call) failed.
    public let code: Int32

    public init(_ kind: Kind, path: String, operation: String, message: String, code: Int32 = 0) {
        (self.kind, self.path, self.operation, self.message, self.code) = (kind, path, operation, message, code)
    }

    /// The failure of a system call that set `errno` to `code`.
    public static func system(_ kind: Kind, path: String, operation: String, code: Int32) -> FileSystemError {
        FileSystemError(kind, path: path, operation: operation, message: String(cString: strerror(code)), code: code)
    }

    public var description: String { "\(path): \(operation): \(message)" }
}
