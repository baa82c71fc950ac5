import FileSystem

extension SafetensorsFile {
    /// Reads and validates a `.safetensors` file.
    ///
    /// The header length is checked against the file size and
    /// `SafetensorsFile.maximumHeaderLength` before the rest of the file is read.
    public static func read(path: String) throws(SafetensorsError) -> SafetensorsFile {
        let file = try open(path)
        let prefix = try read(file, count: min(8, file.size), at: 0)
        _ = try checkedHeaderLength(prefix: prefix, fileSize: prefix.count < 8 ? prefix.count : file.size, file: path)
        let bytes = try read(file, count: file.size, at: 0)
        guard bytes.count == file.size else {
            throw .unreadable(file: path, reason: "file shrank from \(file.size) to \(bytes.count) bytes while reading")
        }
        return try parse(bytes: bytes, name: path)
    }

    /// Opens `path` for reading; `.unreadable` with the system's reason, `.isDirectory` for a folder.
    static func open(_ path: String) throws(SafetensorsError) -> ReadableFile {
        let file: ReadableFile
        do { file = try ReadableFile(path: path) } catch { throw .unreadable(file: path, reason: error.message) }
        if file.kind == .directory { throw .isDirectory(file: path) }
        return file
    }

    /// `count` bytes at `offset` of `file`; a failed read is `.unreadable` naming the file
    /// with the step and the system's reason ("read: Input/output error").
    static func read(_ file: ReadableFile, count: Int, at offset: Int) throws(SafetensorsError) -> [UInt8] {
        do { return try file.read(count: count, at: offset) } catch {
            throw .unreadable(file: file.path, reason: "\(error.operation): \(error.message)")
        }
    }
}
