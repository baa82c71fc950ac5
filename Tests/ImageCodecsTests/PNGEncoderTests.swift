import Foundation
import Testing
@testable import ImageCodecs

@Suite struct PNGEncoderTests {
    func gradient(channels: Int, width: Int = 37, height: Int = 23) -> [UInt8] {
        (0..<(width * height * channels)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 11) }
    }

    @Test(arguments: [1, 2, 3, 4])
    func roundTrips8Bit(channels: Int) throws {
        let image = Image(width: 37, height: 23, channels: channels, pixels: gradient(channels: channels))
        let decoded = try ImageDecoder.decode(bytes: PNGEncoder.encode(image), name: "round-trip")
        #expect(decoded == image)
    }

    @Test func roundTrips16Bit() throws {
        let samples = (0..<(9 * 5 * 3)).map { UInt16(truncatingIfNeeded: $0 * 1499 + 3) }
        let image = Image(width: 9, height: 5, channels: 3, samples: .uint16(samples))
        let decoded = try ImageDecoder.decode(bytes: PNGEncoder.encode(image, level: 9), name: "round-trip-16")
        #expect(decoded == image)
    }

    @Test func compressionLevelMatters() throws {
        let flat = Image(width: 256, height: 256, channels: 3, pixels: [UInt8](repeating: 90, count: 256 * 256 * 3))
        let stored = try PNGEncoder.encode(flat, level: 0).count
        let packed = try PNGEncoder.encode(flat, level: 9).count
        #expect(stored > 196_608 && packed < 2_000, "level 0: \(stored) bytes, level 9: \(packed)")
    }

    @Test func writeIsAtomicAndLeavesNoTemporaries() throws {
        let folder = Fixtures.temporaryFolder()
        let path = folder + "/out.png"
        let image = Image(width: 4, height: 4, channels: 1, pixels: [UInt8](repeating: 7, count: 16))
        try PNGEncoder.write(image, to: path)
        #expect(try ImageDecoder.decode(path: path) == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.png"])
        // Unwritable destination: a clear error, nothing left behind.
        do {
            try PNGEncoder.write(image, to: folder + "/missing/out.png")
            Issue.record("wrote into a missing folder")
        } catch {
            #expect(error.kind == .writeFailed && error.path == folder + "/missing/out.png")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.png"])
    }
}
