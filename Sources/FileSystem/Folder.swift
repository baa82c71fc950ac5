#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders and paths: listing, `mkdir -p`, joining, resolving, removing.
public enum Folder {
    /// Entry names of a folder (without "." and ".."), sorted by their UTF-8 bytes so that
    /// the order is the same on every machine and locale.
    ///
    /// - Throws: `.notFound` or `.unreadable` (operation `opendir`) with the system's reason.
    public static func entries(of folder: String) throws(FileSystemError) -> [String] {
        guard let dir = opendir(folder) else {
            let code = errno
            throw .system(code == ENOENT ? .notFound : .unreadable, path: folder, operation: "opendir", code: code)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted(by: utf8Order)
    }

    /// Byte-wise order of the UTF-8 spelling (locale- and normalisation-independent).
    public static func utf8Order(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Creates a folder and its missing parents (`mkdir -p`, mode 0755).
    ///
    /// - Throws: `.writeFailed` naming the component that could not be made (`ENOTDIR` when
    ///   a file stands where a folder should be).
    public static func make(_ path: String) throws(FileSystemError) {
        if path.isEmpty { return }
        if let status = FileStatus.of(path) {
            if status.kind == .directory { return }
            throw .system(.writeFailed, path: path, operation: "mkdir", code: ENOTDIR)
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try make(String(path[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .system(.writeFailed, path: path, operation: "mkdir", code: errno)
        }
    }

    /// The canonical absolute path (`realpath(3)`: `.`/`..` and every symlink resolved), or
    /// `nil` when it does not exist.
    public static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Removes a file; `true` when it was removed.
    @discardableResult
    public static func remove(_ path: String) -> Bool { unlink(path) == 0 }

    /// Joins a folder and a relative path without doubling slashes.
    public static func join(_ folder: String, _ relative: String) -> String {
        if relative.isEmpty { return folder }
        if folder.isEmpty { return relative }
        return folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// The folder and the file name of a path (`"a/b.png"` -> `("a", "b.png")`, `"b.png"` ->
    /// `(".", "b.png")`, `"/b.png"` -> `("/", "b.png")`).
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
