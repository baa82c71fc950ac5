/// What can go wrong while scanning, writing or serving a gallery. Each case names the path or
/// port it concerns.
public enum GalleryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The gallery folder does not exist or is not a folder.
    case notADirectory(path: String)
    /// A folder under the gallery could not be listed.
    case unreadableDirectory(path: String, reason: String)
    /// `.vis-index.json` exists but is not the documented JSON object.
    case malformedIndex(path: String, reason: String)
    /// `index.html` (or its temporary file) could not be written or renamed into place.
    case writeFailed(path: String, reason: String)
    /// The HTTP server could not listen on 127.0.0.1 at this port.
    case listenFailed(port: UInt16, reason: String)
    /// `start()` was called on a server that is already running.
    case alreadyRunning(port: UInt16)

    public var description: String {
        switch self {
        case let .notADirectory(path):
            return "gallery folder \(path) does not exist or is not a folder"
        case let .unreadableDirectory(path, reason):
            return "cannot list folder \(path): \(reason)"
        case let .malformedIndex(path, reason):
            return "malformed gallery index \(path): \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        case let .listenFailed(port, reason):
            return "cannot listen on 127.0.0.1:\(port): \(reason)"
        case let .alreadyRunning(port):
            return "gallery server is already running on 127.0.0.1:\(port)"
        }
    }
}
