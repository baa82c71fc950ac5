import Foundation
import Testing
@testable import ImageCodecs

/// Small files that ask for far more memory than they hold (Fixtures/bombs, made by
/// tools/make_bomb_fixtures.py): each is refused, or decoded with its bomb ignored, without
/// allocating what it declares. Peak memory is measured on the built binary in
/// visTests/HostileInputMemoryTests.
@Suite struct DecompressionBombTests {
    func decode(_ name: String) throws(ImageCodecError) -> Image {
        try ImageDecoder.decode(path: Fixtures.path("bombs/" + name))
    }

    func error(_ name: String) -> ImageCodecError? {
        do { _ = try decode(name) } catch { return error }
        return nil
    }

    /// 100000×100000 = 10^10 pixels (69-byte file): refused from the IHDR.
    @Test func pngDeclaring100000Squared() {
        let failure = error("png_100000x100000.png")
        #expect(failure?.kind == .tooLarge(width: 100_000, height: 100_000, limit: DecodeOptions.defaultMaxPixels))
        #expect(failure?.description.contains("10000000000 pixels exceeds the limit of 178956970") == true)
    }

    /// A JPEG SOF declaring 65500×65500 (the JPEG maximum): refused after the header.
    @Test func jpegDeclaring65500Squared() {
        #expect(error("jpeg_65500x65500.jpg")?.kind == .tooLarge(width: 65_500, height: 65_500, limit: DecodeOptions.defaultMaxPixels))
    }

    /// The limit is the caller's: the same IHDR check refuses a 64×64 PNG under a 4000-pixel limit.
    @Test func limitIsConfigurable() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("bombs/png_idat_inflates_64mb.png"))))
        let options = DecodeOptions(maxPixels: 255)
        #expect(throws: ImageCodecError(.tooLarge(width: 16, height: 16, limit: 255), path: "p", message: "")) {
            try ImageDecoder.decode(bytes: bytes, name: "p", options: options)
        }
    }

    /// 16×16 grey whose IDAT inflates to 64 MB (65 KB file): once the 16 rows are complete,
    /// libpng may read only 4 KB more; past that the shim inflates the stream itself, counting,
    /// and refuses it at 272 + 16 MiB bytes (libpng would inflate all 64 MB, 1 KB at a time).
    @Test func idatInflatingBeyondTheImageIsRefused() {
        let failure = error("png_idat_inflates_64mb.png")
        #expect(failure?.kind == .corrupt)
        #expect(failure?.message == "IDAT: Too much image data (the stream inflates to more than 16777488 bytes for 272 bytes of rows)")
    }

    /// The gradient every 16×16 bomb fixture carries: sample (x, y) = (x + y)·8 mod 256
    /// (tools/make_bomb_fixtures.py).
    static let gradient: [UInt8] = (0..<16).flatMap { y in (0..<16).map { x in UInt8((x + y) * 8 % 256) } }

    /// Excess that libpng decodes (with its benign "Too much image data") is no bomb: 2000
    /// zero bytes (read by libpng itself, a few compressed bytes) and 8 MiB of zeros (8 KB
    /// compressed: counted by the shim, within the 16 MiB margin) both decode exactly.
    @Test(arguments: ["png_idat_small_excess.png", "png_idat_excess_8mb.png"])
    func excessWithinTheMarginDecodes(name: String) throws {
        let image = try decode(name)
        guard case .uint8(let samples) = image.samples else { Issue.record("expected 8-bit"); return }
        #expect(image.width == 16 && image.height == 16 && samples == Self.gradient)
    }

    /// The same 16×16 image with its stream split into 1-byte IDAT chunks decodes exactly.
    @Test func manySmallIDATChunksDecode() throws {
        let image = try decode("png_idat_one_byte_chunks.png")
        guard case .uint8(let samples) = image.samples else { Issue.record("expected 8-bit"); return }
        #expect(image.width == 16 && image.height == 16 && samples == Self.gradient)
    }

    /// zTXt and iCCP chunks that inflate to 64 MB: libpng gives up at the 8 MB chunk limit
    /// (a warning), and the 16×16 image itself decodes exactly.
    @Test(arguments: ["png_ztxt_inflates_64mb.png", "png_iccp_inflates_64mb.png"])
    func ancillaryBombsAreIgnored(name: String) throws {
        let image = try decode(name)
        #expect(image.width == 16 && image.height == 16 && image.channels == 1)
        guard case .uint8(let samples) = image.samples else { Issue.record("expected 8-bit"); return }
        #expect(samples == Self.gradient)
    }

    /// A chunk whose declared length runs past the end of the file is refused before libpng
    /// sees it (libpng 1.6.39 allocated the declared 1 GB of a 57-byte zTXt file).
    @Test func chunkLongerThanTheFile() {
        do {
            _ = try ImageDecoder.decode(path: Fixtures.path("crashers/huge_zTXt_chunk.png"))
            Issue.record("decoded a file whose zTXt chunk claims 1 GB")
        } catch {
            #expect(error.kind == .truncated)
            #expect(error.message == "zTXt chunk declares 1073741823 bytes but the file holds only 12 more")
        }
    }

    /// A 16×16 progressive JPEG whose last scan is repeated 1100 times (12 KB): by default
    /// the first repeat is a corrupt progression; accepting corrupt data, the decode stops at
    /// the shim's 1000-scan limit instead of making 1100 passes.
    @Test func progressiveScanBomb() throws {
        #expect(error("jpeg_1100_scans.jpg")?.kind == .corrupt)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("bombs/jpeg_1100_scans.jpg"))))
        do {
            _ = try ImageDecoder.decode(bytes: bytes, name: "scans.jpg", options: DecodeOptions(allowTruncated: true))
            Issue.record("decoded 1100 scans")
        } catch {
            #expect(error.kind == .corrupt && error.message == "more than 1000 progressive scans", "\(error)")
        }
    }

    /// 527 bytes declaring 13000×13000 (under the limit) whose data ends at once: refused as
    /// corrupt ("premature end of data segment") after decoding a few rows.
    @Test func smallJPEGDeclaringALargeImage() {
        let failure = error("jpeg_13000x13000_progressive.jpg")
        #expect(failure?.kind == .corrupt)
        #expect(failure?.message.contains("premature end of data segment") == true)
    }
}
