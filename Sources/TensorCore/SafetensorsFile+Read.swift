extension SafetensorsFile {
    /// Reads and validates a `.safetensors` file.
    ///
    /// The header length is checked against the file size and
    /// `SafetensorsFile.maximumHeaderLength` before the rest of the file is read.
    public static func read(path: String) throws(SafetensorsError) -> SafetensorsFile {
        let opened: POSIXFile.Opened
        do { opened = try POSIXFile.openForReading(path) } catch {
            throw .unreadable(file: path, reason: error.message)
        }
        defer { POSIXFile.closeDescriptor(opened.descriptor) }
        if opened.isDirectory { throw .isDirectory(file: path) }
        do {
            let prefix = try POSIXFile.read(opened.descriptor, offset: 0, count: min(8, opened.size))
            _ = try checkedHeaderLength(prefix: prefix, fileSize: prefix.count < 8 ? prefix.count : opened.size, file: path)
            let bytes = try POSIXFile.read(opened.descriptor, offset: 0, count: opened.size)
            guard bytes.count == opened.size else {
                throw SafetensorsError.unreadable(
                    file: path, reason: "file shrank from \(opened.size) to \(bytes.count) bytes while reading")
            }
            return try parse(bytes: bytes, name: path)
        } catch let failure as POSIXFile.Failure {
            throw .unreadable(file: path, reason: "\(failure.operation): \(failure.message)")
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw .unreadable(file: path, reason: "\(error)")
        }
    }
}
