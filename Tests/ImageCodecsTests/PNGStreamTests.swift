import Foundation
import Testing
@testable import ImageCodecs

/// Valid-but-odd IDAT streams (Fixtures/pngstreams, made by tools/make_png_stream_fixtures.py)
/// decode as libpng 1.6 and Pillow decode them: to Pillow's pixels, recorded by the script in
/// pillow_pixels.json, or refused where both refuse. The bomb check bounds the bytes inflated
/// after the rows, so none of these is mistaken for a bomb.
@Suite struct PNGStreamTests {
    let pillow = Fixtures.json("pngstreams/pillow_pixels.json")

    /// Decodes `name` and compares every sample with Pillow's.
    func expectPillowPixels(_ name: String) throws {
        let reference = try #require(pillow[name])
        #expect(reference["error"] == nil, "Pillow refused \(name): the fixture is not what the test expects")
        let image = try ImageDecoder.decode(path: Fixtures.path("pngstreams/" + name))
        #expect(reference["mode"] as? String == "RGB")
        #expect(image.width == reference["width"] as? Int && image.height == reference["height"] as? Int
                && image.channels == 3)
        guard case .uint8(let samples) = image.samples else { Issue.record("expected 8-bit samples"); return }
        let expected = (reference["samples"] as? [Int] ?? []).map(UInt8.init)
        let differing = zip(samples, expected).filter { $0 != $1 }.count
        #expect(samples.count == expected.count && differing == 0,
                "\(name): \(differing) of \(expected.count) samples differ from Pillow's")
    }

    /// The zlib stream inflates to 20 KB more than the rows (libpng: benign "Too much image
    /// data"). Its 20 KB of compressed excess is what the old compressed-bytes bound refused.
    @Test func extraInflatedDataAfterTheRows() throws { try expectPillowPixels("extra_inflated_data.png") }

    /// The zlib stream ends with the rows; an IDAT of 20 KB follows it (libpng: "Extra
    /// compressed data", benign).
    @Test func extraCompressedDataAfterTheStream() throws { try expectPillowPixels("extra_compressed_data.png") }

    @Test func emptyIDATBetweenFullOnes() throws { try expectPillowPixels("empty_idat_between.png") }

    @Test func oneByteIDATChunks() throws { try expectPillowPixels("one_byte_idats.png") }

    /// Adam7 with 20 KB of extra inflated data: libpng's last png_read_row call is pass 7's
    /// last row, which holds pixels when the height is even and none when it is odd (the rows
    /// are complete before that call); both decode.
    @Test(arguments: ["interlaced_extra_16.png", "interlaced_extra_15.png"])
    func interlacedWithExtraData(name: String) throws { try expectPillowPixels(name) }

    /// A wrong Adler-32 alone in the last IDAT is read by libpng after the last row, where
    /// its inflate errors are benign ("IDAT: incorrect data check" is a warning): decoded, as
    /// by Pillow (which stops once the rows are complete).
    @Test func badAdlerInTheLastIDATDecodes() throws { try expectPillowPixels("bad_adler_last_idat.png") }

    /// The same wrong Adler-32 in the IDAT that holds the data: zlib checks it in the call that
    /// completes the last row, where libpng makes it an error; Pillow refuses it too ("broken
    /// data stream"). Checked with Debian's libpng 1.6.39 and Pillow (tools script).
    @Test func badAdlerInTheDataIDATIsRefused() throws {
        let pillowError = pillow["bad_adler_same_idat.png"]?["error"] as? String
        #expect(pillowError?.contains("broken data stream") == true)
        do {
            _ = try ImageDecoder.decode(path: Fixtures.path("pngstreams/bad_adler_same_idat.png"))
            Issue.record("decoded a stream whose Adler-32 is wrong")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.message == "IDAT: incorrect data check", "\(error)")
        }
    }
}
