/// A `.safetensors` file held in memory: its metadata, its tensor table and its bytes.
///
/// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON mapping each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data section
/// that follows the header) plus an optional `"__metadata__"` string→string object, then the
/// data section. Everything is validated when the file is opened (`read` or `parse`):
/// afterwards every accessor only fails for a missing name or a dtype of the wrong kind.
///
/// Unlike the reference implementation, bytes of the data section that no tensor claims
/// ("holes") are accepted; overlapping tensors and offsets outside the data are rejected.
public struct SafetensorsFile: Sendable {
    /// Largest header length accepted (checked before anything is allocated), 100 MB.
    public static let maximumHeaderLength = 100_000_000

    /// One tensor's table entry; `begin`/`end` index `bytes` (absolute, header included).
    struct Entry: Sendable, Equatable {
        var dtype: SafetensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// The path the file was read from, or the name given to `parse`; errors quote it.
    public let fileName: String
    /// The `__metadata__` object (empty when absent).
    public let metadata: [String: String]
    /// Tensor names, sorted.
    public let names: [String]
    let entries: [String: Entry]
    let bytes: [UInt8]

    init(fileName: String, metadata: [String: String], entries: [String: Entry], bytes: [UInt8]) {
        self.fileName = fileName
        self.metadata = metadata
        self.entries = entries
        self.names = entries.keys.sorted()
        self.bytes = bytes
    }

    /// Whether a tensor of that name exists.
    public func hasTensor(_ name: String) -> Bool { entries[name] != nil }

    /// The dtype and shape of a tensor, or nil when there is none of that name.
    public func info(_ name: String) -> (dtype: SafetensorsDType, shape: [Int])? {
        entries[name].map { ($0.dtype, $0.shape) }
    }

    /// A floating-point tensor (F32, F16, BF16, F64, F8_E5M2, F8_E4M3) converted to Float32.
    ///
    /// Shape: the stored shape.
    public func tensor(_ name: String) throws(SafetensorsError) -> Tensor {
        guard let entry = entries[name] else { throw .missingTensor(file: fileName, name: name) }
        guard entry.dtype.isFloatingPoint else {
            throw .notFloating(file: fileName, name: name, dtype: entry.dtype)
        }
        let count = Tensor.count(of: entry.shape)
        var storage = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[entry.begin..<entry.end])
            storage.withUnsafeMutableBufferPointer { out in
                SafetensorsFile.decodeFloats(source, dtype: entry.dtype, into: out)
            }
        }
        return Tensor(shape: entry.shape, storage: storage)
    }

    /// An integer tensor (BOOL, U8, I8, U16, I16, U32, I32, U64, I64) widened to Int64,
    /// row-major. Shape: `info(name)!.shape`.
    public func integers(_ name: String) throws(SafetensorsError) -> [Int64] {
        guard let entry = entries[name] else { throw .missingTensor(file: fileName, name: name) }
        guard entry.dtype.isInteger else {
            throw .notInteger(file: fileName, name: name, dtype: entry.dtype)
        }
        let count = Tensor.count(of: entry.shape)
        var values = [Int64](repeating: 0, count: count)
        var tooLarge: UInt64?
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + entry.begin
            for i in 0..<count {
                switch entry.dtype {
                case .bool, .uint8: values[i] = Int64(base.load(fromByteOffset: i, as: UInt8.self))
                case .int8: values[i] = Int64(base.load(fromByteOffset: i, as: Int8.self))
                case .uint16: values[i] = Int64(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                case .int16: values[i] = Int64(Int16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
                case .uint32: values[i] = Int64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .int32: values[i] = Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                case .int64: values[i] = Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
                case .uint64:
                    let value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                    if value > UInt64(Int64.max) { tooLarge = tooLarge ?? value } else { values[i] = Int64(value) }
                default: preconditionFailure("integers: \(entry.dtype) is not an integer type")
                }
            }
        }
        if let tooLarge { throw .integerOutOfRange(file: fileName, name: name, value: tooLarge) }
        return values
    }

    /// The raw little-endian bytes of a tensor as stored.
    public func rawBytes(_ name: String) throws(SafetensorsError) -> [UInt8] {
        guard let entry = entries[name] else { throw .missingTensor(file: fileName, name: name) }
        return Array(bytes[entry.begin..<entry.end])
    }

    /// Converts `out.count` little-endian elements of a floating dtype to Float32.
    static func decodeFloats(_ source: UnsafeRawBufferPointer, dtype: SafetensorsDType,
                             into out: UnsafeMutableBufferPointer<Float>) {
        let count = out.count
        guard count > 0 else { return }
        let base = source.baseAddress!
        switch dtype {
        case .float32:
            #if _endian(little)
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(start: base, count: 4 * count))
            #else
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
            #endif
        case .float16:
            for i in 0..<count {
                out[i] = ReducedPrecision.float(fromFloat16: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bfloat16:
            for i in 0..<count {
                out[i] = ReducedPrecision.float(fromBFloat16: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .float64:
            for i in 0..<count {
                out[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        case .float8E5M2:
            for i in 0..<count { out[i] = ReducedPrecision.float(fromFloat8E5M2: base.load(fromByteOffset: i, as: UInt8.self)) }
        case .float8E4M3:
            for i in 0..<count { out[i] = ReducedPrecision.float(fromFloat8E4M3: base.load(fromByteOffset: i, as: UInt8.self)) }
        default:
            preconditionFailure("decodeFloats: \(dtype) is not a floating-point type")
        }
    }
}
