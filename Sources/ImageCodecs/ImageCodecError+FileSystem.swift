import FileSystem

extension ImageCodecError {
    /// A file-system failure as the codecs report it: the same path, the matching kind
    /// (`notFound`, `isDirectory`, `unreadable`, `empty`, `writeFailed`) and the system's reason.
    init(_ error: FileSystemError) {
        let kind: Kind
        switch error.kind {
        case .notFound: kind = .notFound
        case .isDirectory: kind = .isDirectory
        case .unreadable: kind = .unreadable
        case .empty: kind = .empty
        case .writeFailed: kind = .writeFailed
        }
        self.init(kind, path: error.path, message: error.message)
    }

    /// All bytes of the file at `path` (``WholeFile/read(path:limit:)``), failures as codec errors.
    static func readFile(_ path: String, limit: Int = Int.max) throws(ImageCodecError) -> [UInt8] {
        do { return try WholeFile.read(path: path, limit: limit) } catch { throw ImageCodecError(error) }
    }
}
