/// Why a `.safetensors` file could not be read, interpreted or written.
///
/// Every case names the file (its path, or the name given to `SafetensorsFile.parse`) and
/// carries the offending values, so the description alone says what is wrong and where.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(file: String, reason: String)
    /// The path names a directory.
    case isDirectory(file: String)
    /// The file holds no bytes at all.
    case emptyFile(file: String)
    /// The file is shorter than the 8-byte header length prefix.
    case tooShort(file: String, size: Int)
    /// The header length prefix claims more bytes than follow it.
    case headerBeyondFile(file: String, headerLength: UInt64, available: Int)
    /// The header length prefix exceeds the sanity bound (checked before anything is allocated).
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header is not valid UTF-8 JSON.
    case headerNotJSON(file: String, reason: String)
    /// The header is valid JSON but not an object.
    case headerNotObject(file: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or one of them has the wrong type.
    case badEntry(file: String, tensor: String, reason: String)
    /// A tensor declares a dtype this reader does not know.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A shape holds a negative or non-integer dimension (`shape` is the JSON text).
    case invalidShape(file: String, tensor: String, shape: String)
    /// product(shape) × element size does not fit in an `Int`.
    case byteCountOverflow(file: String, tensor: String, shape: [Int], dtype: SafetensorsDType)
    /// `end − begin` differs from product(shape) × element size.
    case byteLengthMismatch(file: String, tensor: String, expected: Int, got: Int)
    /// `data_offsets` has `begin > end`.
    case reversedOffsets(file: String, tensor: String, begin: Int, end: Int)
    /// `data_offsets` reaches past the data section (`dataLength` bytes after the header).
    case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataLength: Int)
    /// Two tensors claim some of the same bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// `__metadata__` is not an object mapping strings to strings.
    case badMetadata(file: String, reason: String)
    /// No tensor of that name.
    case missingTensor(file: String, name: String)
    /// The tensor was asked for as Float32 but is not a floating-point type.
    case notFloating(file: String, name: String, dtype: SafetensorsDType)
    /// The tensor was asked for as integers but is not an integer type.
    case notInteger(file: String, name: String, dtype: SafetensorsDType)
    /// A U64 element does not fit in Int64.
    case integerOutOfRange(file: String, name: String, value: UInt64)
    /// A tensor loaded as weights holds NaN or ±Inf: `count` such values, the first at
    /// `firstIndex` (one index per dimension) with `value` its text (`nan`, `inf`, `-inf`).
    case nonFiniteValue(file: String, tensor: String, count: Int, firstIndex: [Int], value: String)
    /// Writing the file failed; `operation` is the step (open, write, fsync, rename) and
    /// `reason` the system's message.
    case writeFailed(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "Cannot read safetensors file '\(file)': \(reason)."
        case let .isDirectory(file):
            "Safetensors path '\(file)' is a directory, not a file."
        case let .emptyFile(file):
            "Safetensors file '\(file)' is empty."
        case let .tooShort(file, size):
            "Safetensors file '\(file)' has \(size) bytes, fewer than the 8-byte header length."
        case let .headerBeyondFile(file, length, available):
            "Safetensors file '\(file)' declares a \(length)-byte header but only \(available) bytes follow."
        case let .headerTooLarge(file, length, limit):
            "Safetensors file '\(file)' declares a \(length)-byte header, above the \(limit)-byte limit."
        case let .headerNotJSON(file, reason):
            "Safetensors file '\(file)' has a header that is not valid UTF-8 JSON: \(reason)."
        case let .headerNotObject(file):
            "Safetensors file '\(file)' has a header that is not a JSON object."
        case let .badEntry(file, tensor, reason):
            "Safetensors file '\(file)' has a bad entry for tensor '\(tensor)': \(reason)."
        case let .unknownDType(file, tensor, dtype):
            "Safetensors file '\(file)' gives tensor '\(tensor)' the unknown dtype '\(dtype)'."
        case let .invalidShape(file, tensor, shape):
            "Safetensors file '\(file)' gives tensor '\(tensor)' the invalid shape \(shape) (dimensions must be non-negative integers)."
        case let .byteCountOverflow(file, tensor, shape, dtype):
            "Safetensors file '\(file)' gives tensor '\(tensor)' shape \(shape) of \(dtype), whose byte count overflows."
        case let .byteLengthMismatch(file, tensor, expected, got):
            "Safetensors file '\(file)' gives tensor '\(tensor)' \(got) bytes of data, but its shape and dtype need \(expected)."
        case let .reversedOffsets(file, tensor, begin, end):
            "Safetensors file '\(file)' gives tensor '\(tensor)' reversed data offsets [\(begin), \(end)]."
        case let .offsetsOutOfRange(file, tensor, begin, end, dataLength):
            "Safetensors file '\(file)' gives tensor '\(tensor)' data offsets [\(begin), \(end)] outside its \(dataLength)-byte data section."
        case let .overlappingTensors(file, first, second):
            "Safetensors file '\(file)' has tensors '\(first)' and '\(second)' sharing bytes."
        case let .badMetadata(file, reason):
            "Safetensors file '\(file)' has bad __metadata__: \(reason)."
        case let .missingTensor(file, name):
            "Safetensors file '\(file)' has no tensor named '\(name)'."
        case let .notFloating(file, name, dtype):
            "Safetensors file '\(file)' stores tensor '\(name)' as \(dtype), not a floating-point type."
        case let .notInteger(file, name, dtype):
            "Safetensors file '\(file)' stores tensor '\(name)' as \(dtype), not an integer type."
        case let .integerOutOfRange(file, name, value):
            "Safetensors file '\(file)' stores \(value) in tensor '\(name)', beyond the Int64 range."
        case let .nonFiniteValue(file, tensor, count, firstIndex, value):
            "Safetensors file '\(file)' holds \(count) non-finite value\(count == 1 ? "" : "s") in tensor '\(tensor)' (the first, \(value), at index \(firstIndex)); weights must be finite."
        case let .writeFailed(path, operation, reason):
            "Cannot write safetensors file '\(path)' (\(operation)): \(reason)."
        }
    }
}
