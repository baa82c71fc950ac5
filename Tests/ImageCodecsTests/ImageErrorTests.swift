import Foundation
import Testing
@testable import ImageCodecs

/// Every way a file can be bad gets its own error naming the file.
@Suite struct ImageErrorTests {
    func kind(_ body: () throws -> Void) -> ImageCodecError.Kind? {
        do { try body() } catch { return (error as? ImageCodecError)?.kind }
        return nil
    }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = Fixtures.temporaryFolder() + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// A PNG with a valid IHDR (correct CRC) declaring `width`×`height` and no data.
    func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        var ihdr: [UInt8] = Array("IHDR".utf8)
        for v in [width, height] { ihdr += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        ihdr += [8, 2, 0, 0, 0]
        let crc = CRC32.checksum(ihdr)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + ihdr
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    @Test func missingFile() {
        #expect(kind { _ = try ImageDecoder.decode(path: "/nonexistent/vis/none.png") } == .notFound)
    }

    @Test func directory() {
        #expect(kind { _ = try ImageDecoder.decode(path: Fixtures.temporaryFolder()) } == .isDirectory)
    }

    @Test func emptyFile() {
        #expect(kind { _ = try ImageDecoder.decode(path: write([], "empty.png")) } == .empty)
    }

    @Test func unreadableFile() throws {
        let path: String
        if geteuid() == 0 {
            path = "/proc/self/mem"   // root reads any mode; this one fails with EIO
        } else {
            path = write([1, 2, 3], "locked.png")
            chmod(path, 0)
        }
        #expect(kind { _ = try ImageDecoder.decode(path: path) } == .unreadable)
    }

    @Test func tooLargeIsRefusedFromTheHeader() throws {
        let path = write(pngHeader(width: 100_000, height: 100_000), "bomb.png")
        #expect(kind { _ = try ImageDecoder.decode(path: path) }
            == .tooLarge(width: 100_000, height: 100_000, limit: DecodeOptions.defaultMaxPixels))
        var small = DecodeOptions()
        small.maxPixels = 100
        let suite = Fixtures.path("pngsuite/basn2c08.png")
        #expect(kind { _ = try ImageDecoder.decode(path: suite, options: small) } == .tooLarge(width: 32, height: 32, limit: 100))
        #expect(kind { _ = try ImageDecoder.decode(path: Fixtures.path("jpeg/testorig.jpg"), options: small) }
            == .tooLarge(width: 227, height: 149, limit: 100))
    }

    @Test func zeroSize() {
        #expect(kind { _ = try ImageDecoder.decode(path: write(pngHeader(width: 0, height: 7), "zero.png")) } == .zeroSize)
    }

    @Test func truncatedPNG() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pngsuite/basn2c08.png"))))
        let path = write(Array(bytes.prefix(bytes.count / 2)), "half.png")
        do {
            _ = try ImageDecoder.decode(path: path)
            Issue.record("decoded half a PNG")
        } catch {
            #expect(error.kind == .truncated, "\(error)")
        }
    }

    @Test func badCRCInCriticalChunk() {
        #expect(kind { _ = try ImageDecoder.decode(path: Fixtures.path("pngsuite/xcsn0g01.png")) } == .corrupt)
    }

    @Test func unsupportedFormatsAreNamed() {
        let gif = Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0]
        let webp = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8)
        #expect(kind { _ = try ImageDecoder.decode(bytes: gif, name: "a.png") } == .unsupportedFormat("GIF"))
        #expect(kind { _ = try ImageDecoder.decode(bytes: webp, name: "b.jpg") } == .unsupportedFormat("WebP"))
        #expect(kind { _ = try ImageDecoder.decode(bytes: Array("BM....".utf8), name: "c.png") } == .unsupportedFormat("BMP"))
        // A JPEG named .png is decoded as the JPEG it is.
        let jpeg = try! [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jpeg/testorig.jpg"))))
        #expect((try? ImageDecoder.decode(bytes: jpeg, name: "photo.png"))?.width == 227)
    }

    @Test func errorsNameTheFile() {
        do {
            _ = try ImageDecoder.decode(path: Fixtures.path("pngsuite/xhdn0g08.png"))
            Issue.record("decoded a corrupt file")
        } catch {
            #expect(error.description.hasPrefix(Fixtures.path("pngsuite/xhdn0g08.png") + ": corrupt image"))
        }
    }
}

/// CRC-32 (ISO 3309, as PNG uses it), for building test chunks.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
