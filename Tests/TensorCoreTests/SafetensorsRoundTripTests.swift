import Testing
@testable import TensorCore

struct SafetensorsRoundTripTests {
    /// Values exactly representable in F16 and BF16, so all three float dtypes round-trip.
    static let exact: [Float] = [0, -0.0, 1, -2, 0.5, 0.25, 3, -96, 1024, -0.125, 7, 0.75]

    @Test(arguments: [SafetensorsDType.float32, .float16, .bfloat16, .float64])
    func floatTensorsRoundTrip(dtype: SafetensorsDType) throws {
        let tensor = Tensor(shape: [2, 3, 2], storage: Self.exact)
        var writer = SafetensorsWriter(metadata: ["module": "test", "heads": "3"])
        writer.add(name: "w", tensor: tensor, dtype: dtype)
        writer.add(name: "scalar", tensor: Tensor(shape: [], storage: [0.5]), dtype: dtype)
        writer.add(name: "empty", tensor: Tensor(shape: [0, 5]), dtype: dtype)
        let file = try SafetensorsFile.parse(bytes: writer.serialized(), name: "round-trip")
        #expect(file.metadata == ["module": "test", "heads": "3"])
        #expect(file.names == ["empty", "scalar", "w"])
        #expect(file.info("w")?.dtype == dtype)
        #expect(try file.tensor("w") == tensor)
        #expect(try file.tensor("scalar") == Tensor(shape: [], storage: [0.5]))
        #expect(try file.tensor("empty") == Tensor(shape: [0, 5]))
    }

    @Test func integerTensorsRoundTrip() throws {
        var writer = SafetensorsWriter()
        writer.add(name: "u8", uint8: [0, 1, 200, 255], shape: [2, 2])
        writer.add(name: "u16", uint16: [0, 65535, 300], shape: [3])
        writer.add(name: "i64", int64: [Int64.min, -1, Int64.max], shape: [3, 1])
        let bytes = writer.serialized()
        let file = try SafetensorsFile.parse(bytes: bytes, name: "ints")
        #expect(file.info("u8")?.shape == [2, 2])
        #expect(try file.integers("u8") == [0, 1, 200, 255])
        #expect(try file.integers("u16") == [0, 65535, 300])
        #expect(try file.integers("i64") == [Int64.min, -1, Int64.max])
        #expect(file.info("i64")?.shape == [3, 1])
        // Header is padded with spaces to a multiple of 8, offsets ordered I64, U16, U8.
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 24 + 6 + 4)
    }

    @Test func metadataEscapingRoundTrips() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} é 🙂"
        var writer = SafetensorsWriter(metadata: [tricky: tricky, "a": ""])
        writer.add(name: "odd \"name\"", tensor: Tensor(shape: [1], storage: [1]))
        let file = try SafetensorsFile.parse(bytes: writer.serialized(), name: "escapes")
        #expect(file.metadata == [tricky: tricky, "a": ""])
        #expect(file.names == ["odd \"name\""])
    }

    @Test func float16RoundingEdgeCases() {
        // (Float32 input, expected binary16 bits), worked by hand from IEEE 754.
        let cases: [(Float, UInt16)] = [
            (1, 0x3C00), (-2, 0xC000), (65504, 0x7BFF), (65520, 0x7C00), (.infinity, 0x7C00),
            (0x1p-24, 0x0001), (0x1p-25, 0x0000), (0x1.8p-25, 0x0001), (0x1p-14, 0x0400),
            (1 + 0x1p-11, 0x3C00), (1 + 0x1.8p-10, 0x3C02), (-0.0, 0x8000),
        ]
        for (value, bits) in cases {
            #expect(ReducedPrecision.float16(from: value) == bits, "\(value)")
        }
        #expect(ReducedPrecision.float16(from: .nan) == 0x7E00)
        #expect(ReducedPrecision.bfloat16(from: .nan) == 0x7FC0)
        #expect(ReducedPrecision.bfloat16(from: 1 + 0x1p-8) == 0x3F80)
        #expect(ReducedPrecision.bfloat16(from: 1 + 0x1.8p-7) == 0x3F82)
        #expect(ReducedPrecision.float(fromFloat8E4M3: 0x7E) == 448)
        #expect(ReducedPrecision.float(fromFloat8E4M3: 0x01) == 0x1p-9)
        #expect(ReducedPrecision.float(fromFloat8E4M3: 0xFF).isNaN)
        #expect(ReducedPrecision.float(fromFloat8E5M2: 0x7B) == 57344)
        // Every finite half and both infinities survive half -> float -> half.
        let broken = (UInt16(0)...UInt16.max).filter { bits in
            ((bits & 0x7C00) != 0x7C00 || (bits & 0x3FF) == 0)
                && ReducedPrecision.float16(from: ReducedPrecision.float(fromFloat16: bits)) != bits
        }
        #expect(broken.isEmpty, "first failures: \(broken.prefix(5))")
    }
}
