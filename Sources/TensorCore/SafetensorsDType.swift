/// The element types a `.safetensors` file may declare, spelled as in the format's header.
///
/// Sub-byte types of newer safetensors releases (`F4`, `F6_*`, `F8_E8M0`) are not listed:
/// a file that uses them is rejected with `SafetensorsError.unknownDType`.
public enum SafetensorsDType: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float32: 4
        case .float64, .int64, .uint64: 8
        }
    }

    /// Whether `SafetensorsFile.tensor(_:)` can read it as Float32.
    public var isFloatingPoint: Bool {
        switch self {
        case .float8E5M2, .float8E4M3, .float16, .bfloat16, .float32, .float64: true
        default: false
        }
    }

    /// Whether `SafetensorsFile.integers(_:)` can read it as Int64.
    public var isInteger: Bool {
        switch self {
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: true
        default: false
        }
    }

    /// The rank the reference implementation (Rust `safetensors::Dtype`, ordered by size)
    /// gives the type; the writer lays tensors out by decreasing rank, then by name, as it does.
    var layoutRank: Int {
        switch self {
        case .bool: 0
        case .uint8: 1
        case .int8: 2
        case .float8E5M2: 3
        case .float8E4M3: 4
        case .int16: 5
        case .uint16: 6
        case .float16: 7
        case .bfloat16: 8
        case .int32: 9
        case .uint32: 10
        case .float32: 11
        case .float64: 12
        case .int64: 13
        case .uint64: 14
        }
    }

    public var description: String { rawValue }
}
