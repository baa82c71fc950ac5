#if canImport(Glibc)
import Glibc
#endif

/// Creates output folders (like `mkdir -p`) with a clear error.
enum FileSystemFolders {
    struct CannotCreate: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): cannot create output folder: \(reason)" }
    }

    static func create(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw CannotCreate(path: current, reason: String(cString: strerror(errno)))
            }
        }
        var st = stat()
        if stat(path, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR {
            throw CannotCreate(path: path, reason: "not a folder")
        }
    }
}
