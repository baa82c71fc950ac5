import Foundation
import Testing
@testable import TensorCore

/// Hostile model files: each is refused with its specific error before anything large is
/// allocated, or (a million tiny tensors) handled in bounded time and memory. The malformed
/// layouts one by one are in SafetensorsMalformedTests; these are the adversarial variants.
@Suite struct SafetensorsHostileTests {
    static let name = "hostile.safetensors"

    static func file(_ header: String, data: Int = 0, declaredLength: UInt64? = nil) -> [UInt8] {
        SafetensorsMalformedTests.file(header, data: data, declaredLength: declaredLength)
    }

    func error(_ bytes: [UInt8]) -> SafetensorsError? {
        do { _ = try SafetensorsFile.parse(bytes: bytes, name: Self.name) } catch { return error }
        return nil
    }

    /// A header length just past the file, and one of 2^63: both refused from the 8 bytes.
    @Test func headerLengthBeyondTheFile() {
        #expect(error(Self.file("{}", declaredLength: 3)) == .headerBeyondFile(file: Self.name, headerLength: 3, available: 2))
        #expect(error(Self.file("{}", declaredLength: 1 << 63)) == .headerTooLarge(file: Self.name, headerLength: 1 << 63, limit: 100_000_000))
    }

    /// Offsets far outside the data, and offsets that wrap around when added to the header.
    @Test func offsetsOutOfRange() {
        let huge = Int.max - 4
        #expect(error(Self.file("{\"t\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[\(huge),\(huge + 4)]}}", data: 8))
                == .offsetsOutOfRange(file: Self.name, tensor: "t", begin: huge, end: huge + 4, dataLength: 8))
        #expect(error(Self.file("{\"t\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[9223372036854775807,9223372036854775811]}}", data: 8))
                == .badEntry(file: Self.name, tensor: "t", reason: "'data_offsets' is not a pair of non-negative integers"))
    }

    /// Overlap hidden behind a zero-length tensor and behind identical ranges.
    @Test func overlappingTensors() {
        #expect(error(Self.file("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", data: 4))
                == .overlappingTensors(file: Self.name, first: "a", second: "b"))
        // An empty tensor inside another claims no bytes: accepted.
        #expect(error(Self.file("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[2,2]}}", data: 4)) == nil)
    }

    /// shape × dtype overflowing Int in the last factor, and a zero dimension that keeps
    /// the byte count 0 however large the others are (accepted, and `tensor` returns no values).
    @Test func shapeTimesDTypeOverflow() throws {
        #expect(error(Self.file("{\"t\":{\"dtype\":\"F64\",\"shape\":[3037000500,3037000500],\"data_offsets\":[0,8]}}", data: 8))
                == .byteCountOverflow(file: Self.name, tensor: "t", shape: [3_037_000_500, 3_037_000_500], dtype: .float64))
        let zero = try SafetensorsFile.parse(bytes: Self.file(
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[0,4611686018427387903,2],\"data_offsets\":[0,0]}}"), name: Self.name)
        #expect(try zero.tensor("t").count == 0)
    }

    /// Wrong dtypes: unknown names (case matters), and integer data read as weights.
    @Test func wrongDTypes() throws {
        for dtype in ["f32", "FLOAT", "F128", "C64", ""] {
            #expect(error(Self.file("{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: 4))
                    == .unknownDType(file: Self.name, tensor: "t", dtype: dtype))
        }
        let ints = try SafetensorsFile.parse(bytes: Self.file("{\"t\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", data: 8), name: Self.name)
        #expect(throws: SafetensorsError.notFloating(file: Self.name, name: "t", dtype: .int64)) { try ints.tensor("t") }
    }

    /// NaN and Inf are valid safetensors data: the reader returns them as stored (the
    /// weight loader refuses them, see AttentionTests/WeightSetFiniteTests).
    @Test func nonFiniteValuesAreReadAsStored() throws {
        var writer = SafetensorsWriter()
        writer.add(name: "w", tensor: Tensor(shape: [3], storage: [.nan, .infinity, -.infinity]))
        let file = try SafetensorsFile.parse(bytes: writer.serialized(), name: Self.name)
        let values = try file.tensor("w").storage
        #expect(values[0].isNaN && values[1] == .infinity && values[2] == -.infinity)
    }

    /// 200,000 one-byte tensors (a 13 MB header): parsed, every name listed, in bounded time
    /// and memory. Measured and printed; the only bound asserted is a generous sanity one.
    /// Parsing is linear: a million tensors (68 MB header) took 4.8 s and 840 MB peak in an
    /// -O build, 35 s in a debug build (RELIABILITY.md).
    @Test func manyTinyTensors() throws {
        let count = 200_000
        var header = "{"
        header.reserveCapacity(count * 56)
        for i in 0..<count {
            if i > 0 { header += "," }
            header += "\"t\(i)\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[\(i),\(i + 1)]}"
        }
        header += "}"
        let bytes = Self.file(header, data: count)
        let before = Self.residentKilobytes()
        let clock = ContinuousClock()
        var file: SafetensorsFile?
        let elapsed = try clock.measure { file = try SafetensorsFile.parse(bytes: bytes, name: Self.name) }
        let after = Self.residentKilobytes()
        print("\(count) tiny tensors: header \(header.utf8.count) bytes, parse \(elapsed), resident +\(after - before) KB")
        let parsed = try #require(file)
        #expect(parsed.names.count == count)
        #expect(try parsed.integers("t199999") == [0])
        #expect(elapsed < .seconds(120), "parse took \(elapsed)")
    }

    /// Current resident set size of this process (Linux /proc/self/statm), in KB.
    static func residentKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024 : 0
    }
}
