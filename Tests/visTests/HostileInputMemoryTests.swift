import Foundation
import Testing

/// `vis export` on the decompression bombs of ImageCodecsTests/Fixtures/bombs
/// (tools/make_bomb_fixtures.py), in a child process whose own peak resident memory GNU
/// time reports (`ChildProcess.measured`: no floor from the test process). A plain
/// `vis export` of a small PNG peaks near 25 MB on the development machine; the 200 MB
/// bound catches an allocation of what a file declares (10^10 pixels, 1 GB chunk, 64 MB of
/// text or image data), not small growth.
@Suite(.serialized, .enabled(if: ChildProcess.canMeasurePeak, "needs GNU time at /usr/bin/time"))
struct HostileInputMemoryTests {
    static let bombs = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/bombs") + "/"
    static let boundKilobytes = 200_000

    static func bounded(_ result: ChildProcess.Result) -> Bool {
        result.peakKilobytes < boundKilobytes
    }

    func export(_ name: String) throws -> ChildProcess.Result {
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try ChildProcess.measured(["export", Self.bombs + name, "-o", out])
        print("vis export \(name): exit \(result.status.map(String.init) ?? "signal"), peak \(result.peakKilobytes) KB, \(String(format: "%.2f", result.seconds)) s")
        #expect(Self.bounded(result), "\(name): peak \(result.peakKilobytes) KB")
        return result
    }

    @Test func baselineSmallPNG() throws {
        let small = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/pngsuite/basn2c08.png")
        let result = try ChildProcess.measured(["export", small, "-o", VisBinary.temporaryFolder() + "/out.safetensors"])
        print("vis export basn2c08.png: peak \(result.peakKilobytes) KB")
        // The process's own figure: a few MB of runtime at least, far below the bound.
        #expect(result.status == 0)
        #expect(result.peakKilobytes > 2_000 && result.peakKilobytes < 100_000, "peak \(result.peakKilobytes) KB")
    }

    @Test func declared100000SquaredPNGIsRefusedBeforeAllocation() throws {
        let result = try export("png_100000x100000.png")
        #expect(result.status == 1)
        #expect(result.error.contains("image too large: 100000×100000"))
    }

    @Test func declared65500SquaredJPEGIsRefusedBeforeAllocation() throws {
        let result = try export("jpeg_65500x65500.jpg")
        #expect(result.status == 1)
        #expect(result.error.contains("image too large: 65500×65500"))
    }

    /// 527 bytes declaring 13000×13000: the 507 MB sample buffer is no longer zero-filled, so
    /// only the rows decoded before the data ends become resident (526 MB peak before, ~32 MB
    /// after, measured with /usr/bin/time).
    @Test func smallJPEGDeclaringALargeImageStaysSmall() throws {
        let result = try export("jpeg_13000x13000_progressive.jpg")
        #expect(result.status == 1)
        #expect(result.error.contains("premature end of data segment"), "\(result.error)")
        #expect(result.peakKilobytes < 100_000, "peak \(result.peakKilobytes) KB")
    }

    @Test func idatBombIsRefused() throws {
        let result = try export("png_idat_inflates_64mb.png")
        #expect(result.status == 1)
        #expect(result.error.contains("Too much image data"))
    }

    @Test(arguments: ["png_ztxt_inflates_64mb.png", "png_iccp_inflates_64mb.png"])
    func textAndProfileBombsStayBounded(name: String) throws {
        let result = try export(name)
        #expect(result.status == 0, "\(result.error)")
    }

    /// A 57-byte PNG whose zTXt chunk claims 1 GB (libpng allocated it all before the fix).
    @Test func chunkLengthBeyondTheFile() throws {
        let file = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/crashers/huge_zTXt_chunk.png")
        let result = try ChildProcess.measured(["export", file, "-o", VisBinary.temporaryFolder() + "/o.safetensors"])
        print("vis export huge_zTXt_chunk.png: peak \(result.peakKilobytes) KB")
        #expect(result.status == 1 && result.error.contains("zTXt chunk declares 1073741823 bytes"))
        #expect(Self.bounded(result), "peak \(result.peakKilobytes) KB")
    }
}
