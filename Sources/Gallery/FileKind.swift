#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The type of a file system entry, read with `stat(2)` or `lstat(2)`.
enum FileKind: Equatable, Sendable {
    case regularFile
    case directory
    case symlink
    case other
    case missing

    /// The entry at `path`; with `followingSymlinks: false` a symlink reports `.symlink`.
    static func of(_ path: String, followingSymlinks: Bool = true) -> FileKind {
        var info = stat()
        let status = followingSymlinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }
}
