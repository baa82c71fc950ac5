#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` (or `lstat(2)`) says about a path: its kind, identity, size and age.
public struct FileStatus: Equatable, Sendable {
    public var kind: FileKind
    /// Device and inode: the identity of the file, whatever path leads to it.
    public var identity: Identity
    /// Bytes (for a regular file).
    public var size: Int
    /// Last modification, seconds since the epoch.
    public var modified: Double

    public struct Identity: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// The status of `path`, or `nil` when it does not exist or cannot be examined; with
    /// `followingSymlinks: false` a symbolic link is described as itself (kind `.symlink`).
    public static func of(_ path: String, followingSymlinks: Bool = true) -> FileStatus? {
        var st = stat()
        let result = followingSymlinks ? stat(path, &st) : lstat(path, &st)
        guard result == 0 else { return nil }
        return FileStatus(st)
    }

    /// Whether anything (a broken symlink included) is at `path`.
    public static func exists(_ path: String) -> Bool {
        of(path, followingSymlinks: false) != nil
    }

    init(_ st: stat) {
        kind = FileKind(mode: st.st_mode)
        identity = Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        size = Int(st.st_size)
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9
    }
}
