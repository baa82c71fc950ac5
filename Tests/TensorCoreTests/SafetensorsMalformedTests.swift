import Testing
@testable import TensorCore

/// Every malformed header or layout is rejected with its own error case.
struct SafetensorsMalformedTests {
    /// A file made of a length prefix (the header's own length unless overridden), the
    /// header text and `data` zero bytes.
    static func file(_ header: String, data: Int = 0, declaredLength: UInt64? = nil) -> [UInt8] {
        file(bytes: Array(header.utf8), data: data, declaredLength: declaredLength)
    }

    static func file(bytes header: [UInt8], data: Int = 0, declaredLength: UInt64? = nil) -> [UInt8] {
        let length = declaredLength ?? UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header
            + [UInt8](repeating: 0, count: data)
    }

    static let name = "bad.safetensors"

    func rejects(_ bytes: [UInt8], with expected: SafetensorsError,
                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try SafetensorsFile.parse(bytes: bytes, name: Self.name)
        }
        #expect(expected.description.contains(Self.name), sourceLocation: sourceLocation)
    }

    /// For errors whose message text comes from the parser: match the case only.
    func rejectsAsNotJSON(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SafetensorsFile.parse(bytes: bytes, name: Self.name)
            Issue.record("accepted malformed JSON", sourceLocation: sourceLocation)
        } catch {
            guard case let .headerNotJSON(file, reason) = error else {
                Issue.record("wrong error \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(file == Self.name && !reason.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func framing() {
        rejects([], with: .emptyFile(file: Self.name))
        rejects([1, 2, 3, 4, 5], with: .tooShort(file: Self.name, size: 5))
        rejects(Self.file("{}", declaredLength: 100), with: .headerBeyondFile(file: Self.name, headerLength: 100, available: 2))
        rejects(Self.file("{}", declaredLength: 1 << 40),
                with: .headerTooLarge(file: Self.name, headerLength: 1 << 40, limit: 100_000_000))
        rejects(Self.file("{}", declaredLength: UInt64.max),
                with: .headerTooLarge(file: Self.name, headerLength: UInt64.max, limit: 100_000_000))
    }

    @Test func headerSyntax() {
        rejects(Self.file(bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),
                with: .headerNotJSON(file: Self.name, reason: "invalid UTF-8"))
        rejectsAsNotJSON(Self.file(""))
        rejectsAsNotJSON(Self.file("{\"a\":"))
        rejectsAsNotJSON(Self.file("{}x"))
        rejectsAsNotJSON(Self.file("{'a': 1}"))
        rejectsAsNotJSON(Self.file("{\"a\":{},\"a\":{}}"))
        rejectsAsNotJSON(Self.file(String(repeating: "[", count: 10_000)))
        rejectsAsNotJSON(Self.file("{\"a\":01}"))
        rejects(Self.file("[1,2]"), with: .headerNotObject(file: Self.name))
        rejects(Self.file("\"text\""), with: .headerNotObject(file: Self.name))
    }

    @Test func badEntries() {
        rejects(Self.file("{\"t\":3}"), with: .badEntry(file: Self.name, tensor: "t", reason: "expected an object, got 3"))
        rejects(Self.file("{\"t\":{\"shape\":[],\"data_offsets\":[0,4]}}", data: 4),
                with: .badEntry(file: Self.name, tensor: "t", reason: "missing 'dtype'"))
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", data: 4),
                with: .badEntry(file: Self.name, tensor: "t", reason: "missing 'shape'"))
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[]}}", data: 4),
                with: .badEntry(file: Self.name, tensor: "t", reason: "missing 'data_offsets'"))
        rejects(Self.file("{\"t\":{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}}", data: 4),
                with: .badEntry(file: Self.name, tensor: "t", reason: "'dtype' is not a string"))
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", data: 4),
                with: .badEntry(file: Self.name, tensor: "t", reason: "'shape' is not an array"))
        let offsetsReason = "'data_offsets' is not a pair of non-negative integers"
        for offsets in ["[0,4,8]", "[0]", "[-4,0]", "[0,4.0]", "\"0,4\""] {
            rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":\(offsets)}}", data: 8),
                    with: .badEntry(file: Self.name, tensor: "t", reason: offsetsReason))
        }
    }

    @Test func dtypeAndShape() {
        rejects(Self.file("{\"t\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}", data: 1),
                with: .unknownDType(file: Self.name, tensor: "t", dtype: "Q8"))
        for shape in ["[-1]", "[1.5]", "[\"2\"]", "[2,null]", "[1e2]", "[99999999999999999999]"] {
            rejects(Self.file("{\"t\":{\"dtype\":\"U8\",\"shape\":\(shape),\"data_offsets\":[0,1]}}", data: 1),
                    with: .invalidShape(file: Self.name, tensor: "t", shape: shape))
        }
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}", data: 4),
                with: .byteCountOverflow(file: Self.name, tensor: "t", shape: [4611686018427387904, 4], dtype: .float32))
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", data: 8),
                with: .byteLengthMismatch(file: Self.name, tensor: "t", expected: 8, got: 4))
    }

    @Test func offsets() {
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", data: 8),
                with: .reversedOffsets(file: Self.name, tensor: "t", begin: 8, end: 0))
        rejects(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data: 4),
                with: .offsetsOutOfRange(file: Self.name, tensor: "t", begin: 0, end: 8, dataLength: 4))
        rejects(Self.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                          + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data: 12),
                with: .overlappingTensors(file: Self.name, first: "a", second: "b"))
        // A tensor inside another, listed first.
        rejects(Self.file("{\"inner\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[5,6]},"
                          + "\"outer\":{\"dtype\":\"U8\",\"shape\":[10],\"data_offsets\":[0,10]}}", data: 10),
                with: .overlappingTensors(file: Self.name, first: "outer", second: "inner"))
    }

    @Test func metadata() {
        rejects(Self.file("{\"__metadata__\":{\"a\":1}}"),
                with: .badMetadata(file: Self.name, reason: "value of 'a' is 1, not a string"))
        rejects(Self.file("{\"__metadata__\":[\"a\"]}"),
                with: .badMetadata(file: Self.name, reason: "expected an object, got [\"a\"]"))
    }

    @Test func acceptedOddities() throws {
        // Holes between tensors, padding spaces, zero-length tensors, an empty table.
        let holes = try SafetensorsFile.parse(bytes: Self.file(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
            + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[6,8]},"
            + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[1,1]}}   ", data: 8), name: Self.name)
        #expect(holes.names == ["a", "b", "z"])
        #expect(try holes.integers("b") == [0, 0])
        #expect(try holes.tensor("z").count == 0)
        let empty = try SafetensorsFile.parse(bytes: Self.file("{}"), name: Self.name)
        #expect(empty.names.isEmpty && empty.metadata.isEmpty)
        let escaped = try SafetensorsFile.parse(bytes: Self.file(
            "{\"__metadata__\":{\"k\":\"\\u00e9\\ud83d\\ude42\\n\"}}"), name: Self.name)
        #expect(escaped.metadata == ["k": "é🙂\n"])
    }
}
