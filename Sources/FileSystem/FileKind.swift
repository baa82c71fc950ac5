#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The type of a file-system entry, read with `stat(2)` or `lstat(2)`.
public enum FileKind: Equatable, Sendable {
    case regularFile
    case directory
    case symlink
    /// A FIFO, socket or device.
    case other
    /// Nothing at the path, or it cannot be examined.
    case missing

    /// The entry at `path`; with `followingSymlinks: false` a symlink reports `.symlink`.
    public static func of(_ path: String, followingSymlinks: Bool = true) -> FileKind {
        FileStatus.of(path, followingSymlinks: followingSymlinks)?.kind ?? .missing
    }

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        default: self = .other
        }
    }
}
