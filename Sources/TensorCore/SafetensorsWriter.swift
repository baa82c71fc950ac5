import FileSystem

/// Builds a `.safetensors` file laid out exactly as the reference implementation
/// (Python/Rust `safetensors.save_file`) lays it out.
///
/// Layout: `__metadata__` first with its keys sorted, then the tensors ordered by dtype
/// size (largest first, the reference's `Dtype` order) and then by name, with data offsets
/// assigned in that order, so every tensor is aligned to its element size. The header is
/// compact JSON (`{"dtype":…,"shape":[…],"data_offsets":[b,e]}`) padded with spaces to a
/// multiple of 8 bytes. Without metadata or with one key, the bytes equal Python's.
public struct SafetensorsWriter: Sendable {
    /// One tensor to be written: little-endian bytes already encoded.
    struct Pending: Sendable {
        var dtype: SafetensorsDType
        var shape: [Int]
        var bytes: [UInt8]
    }

    /// The `__metadata__` strings.
    public var metadata: [String: String]
    private var pending: [String: Pending] = [:]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Names added so far, sorted.
    public var names: [String] { pending.keys.sorted() }

    /// Adds a Float32 tensor, stored as F32, F16 or BF16 (rounded to nearest even) or F64.
    ///
    /// Shape: stored as `tensor.shape`.
    public mutating func add(name: String, tensor: Tensor, dtype: SafetensorsDType = .float32) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tensor.count * dtype.byteSize)
        switch dtype {
        case .float32:
            for value in tensor.storage { append(value.bitPattern, to: &bytes) }
        case .float16:
            for value in tensor.storage { append(ReducedPrecision.float16(from: value), to: &bytes) }
        case .bfloat16:
            for value in tensor.storage { append(ReducedPrecision.bfloat16(from: value), to: &bytes) }
        case .float64:
            for value in tensor.storage { append(Double(value).bitPattern, to: &bytes) }
        default:
            preconditionFailure("SafetensorsWriter.add(tensor:) writes F32, F16, BF16 or F64, not \(dtype)")
        }
        insert(name: name, Pending(dtype: dtype, shape: tensor.shape, bytes: bytes))
    }

    /// Adds a U8 tensor. Shape: `shape`, with product(shape) == values.count.
    public mutating func add(name: String, uint8 values: [UInt8], shape: [Int]) {
        checkCount(name: name, values.count, shape)
        insert(name: name, Pending(dtype: .uint8, shape: shape, bytes: values))
    }

    /// Adds a U16 tensor. Shape: `shape`, with product(shape) == values.count.
    public mutating func add(name: String, uint16 values: [UInt16], shape: [Int]) {
        checkCount(name: name, values.count, shape)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * values.count)
        for value in values { append(value, to: &bytes) }
        insert(name: name, Pending(dtype: .uint16, shape: shape, bytes: bytes))
    }

    /// Adds an I64 tensor. Shape: `shape`, with product(shape) == values.count.
    public mutating func add(name: String, int64 values: [Int64], shape: [Int]) {
        checkCount(name: name, values.count, shape)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 * values.count)
        for value in values { append(UInt64(bitPattern: value), to: &bytes) }
        insert(name: name, Pending(dtype: .int64, shape: shape, bytes: bytes))
    }

    /// The complete file.
    public func serialized() -> [UInt8] {
        let order = pending.sorted {
            ($0.value.dtype.layoutRank, $1.key) > ($1.value.dtype.layoutRank, $0.key)
        }
        var header = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }
                .map { "\(JSONString.quoted($0.key)):\(JSONString.quoted($0.value))" }
            members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, item) in order {
            let shape = item.shape.map(String.init).joined(separator: ",")
            members.append("\(JSONString.quoted(name)):{\"dtype\":\"\(item.dtype.rawValue)\","
                + "\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + item.bytes.count)]}")
            offset += item.bytes.count
        }
        header += members.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        let padding = (8 - headerBytes.count % 8) % 8
        headerBytes += [UInt8](repeating: 0x20, count: padding)

        var file: [UInt8] = []
        file.reserveCapacity(8 + headerBytes.count + offset)
        append(UInt64(headerBytes.count), to: &file)
        file += headerBytes
        for (_, item) in order { file += item.bytes }
        return file
    }

    /// Writes the file atomically (temporary file in the same folder, fsync, rename).
    public func write(to path: String) throws(SafetensorsError) {
        do { try AtomicFile.write(serialized(), to: path) } catch {
            throw .writeFailed(path: path, operation: error.operation, reason: error.message)
        }
    }

    private mutating func insert(name: String, _ item: Pending) {
        precondition(name != "__metadata__", "SafetensorsWriter: '__metadata__' is reserved, not a tensor name")
        precondition(pending[name] == nil, "SafetensorsWriter: tensor '\(name)' added twice")
        pending[name] = item
    }

    private func checkCount(name: String, _ count: Int, _ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 } && Tensor.count(of: shape) == count,
                     "SafetensorsWriter: tensor '\(name)' has \(count) values for shape \(shape)")
    }

    private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
