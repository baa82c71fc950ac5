import FileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gallery folder as a real path (every symlink resolved), and the one place that decides
/// whether a file lies inside it. The scanner and the server both ask it, so a page never links
/// a file that the server would refuse.
struct GalleryRoot: Sendable {
    /// What a path under the root turned out to be once its symlinks were resolved.
    enum Resolution: Equatable, Sendable {
        /// The file exists and its real path lies inside the root.
        case inside(realPath: String)
        /// The file exists but its real path (through a symlink) lies outside the root.
        case outside(realPath: String)
        /// Nothing exists at that path (or a component of it cannot be read).
        case missing
    }

    /// The root's real path, without a trailing `/` (unless it is `/` itself).
    let path: String

    init(_ directory: URL) throws(GalleryError) {
        let given = directory.path
        guard let real = Self.realPath(given) else { throw .notADirectory(path: given) }
        guard FileKind.of(real) == .directory else { throw .notADirectory(path: given) }
        path = real
    }

    /// `realpath(3)`: the absolute path with `.`/`..` and every symlink resolved; `nil` when the
    /// path does not exist.
    static func realPath(_ path: String) -> String? {
        Folder.resolved(path)
    }

    /// Whether an already resolved real path is the root or lies below it.
    func contains(realPath: String) -> Bool {
        if realPath == path { return true }
        let prefix = path == "/" ? "/" : path + "/"
        return realPath.hasPrefix(prefix)
    }

    /// Resolves `relative` (a `/`-separated path below the root, no `.`/`..` checks here: the
    /// containment test on the real path is what counts) and says where it really lies.
    func resolve(relative: String) -> Resolution {
        let joined = relative.isEmpty ? path : (path == "/" ? "/" : path + "/") + relative
        guard let real = Self.realPath(joined) else { return .missing }
        return contains(realPath: real) ? .inside(realPath: real) : .outside(realPath: real)
    }
}
