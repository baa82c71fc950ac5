import FileSystem

/// A `.safetensors` file read one tensor at a time: only the header is held in memory, and
/// each tensor's bytes are read (`pread`) and converted when asked for, so loading a large
/// checkpoint never holds the file's bytes and the converted weights at once (a 346 MB
/// ViT-B/16 needs its floats plus one tensor's bytes, not twice the file).
///
/// The header is validated exactly as ``SafetensorsFile/read(path:)`` does (same checks, same
/// errors). The file stays open until the reader is released.
public final class SafetensorsReader: @unchecked Sendable {
    // @unchecked: every stored property is set once in `init`; `ReadableFile` reads with `pread`.

    /// The path the file was opened from; errors quote it.
    public let fileName: String
    /// The `__metadata__` object (empty when absent).
    public let metadata: [String: String]
    /// Tensor names, sorted.
    public let names: [String]
    let entries: [String: SafetensorsFile.Entry]
    private let file: ReadableFile

    /// Opens `path` and validates its header.
    public init(path: String) throws(SafetensorsError) {
        let file = try SafetensorsFile.open(path)
        let prefix = try SafetensorsFile.read(file, count: min(8, file.size), at: 0)
        let headerLength = try SafetensorsFile.checkedHeaderLength(
            prefix: prefix, fileSize: prefix.count < 8 ? prefix.count : file.size, file: path)
        let header = try SafetensorsFile.read(file, count: headerLength, at: 8)
        guard header.count == headerLength else {
            throw .unreadable(file: path, reason: "file shrank while reading its header")
        }
        let dataStart = 8 + headerLength
        (metadata, entries) = try SafetensorsFile.parseHeader(header, dataStart: dataStart,
                                                              dataLength: file.size - dataStart, file: path)
        fileName = path
        names = entries.keys.sorted()
        self.file = file
    }

    /// The dtype and shape of a tensor, or nil when there is none of that name.
    public func info(_ name: String) -> (dtype: SafetensorsDType, shape: [Int])? {
        entries[name].map { ($0.dtype, $0.shape) }
    }

    /// A floating-point tensor converted to Float32, read from the file now.
    ///
    /// Shape: the stored shape.
    public func tensor(_ name: String) throws(SafetensorsError) -> Tensor {
        guard let entry = entries[name] else { throw .missingTensor(file: fileName, name: name) }
        guard entry.dtype.isFloatingPoint else { throw .notFloating(file: fileName, name: name, dtype: entry.dtype) }
        let count = Tensor.count(of: entry.shape)
        let bytes = try SafetensorsFile.read(file, count: entry.end - entry.begin, at: entry.begin)
        guard bytes.count == entry.end - entry.begin else {
            throw .unreadable(file: fileName, reason: "file shrank while reading tensor '\(name)'")
        }
        let storage = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                SafetensorsFile.decodeFloats(raw, dtype: entry.dtype, into: UnsafeMutableBufferPointer(rebasing: out[0..<count]))
            }
            initialized = count
        }
        return Tensor(shape: entry.shape, storage: storage)
    }
}
