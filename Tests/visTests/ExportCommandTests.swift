import Foundation
import ImageCodecs
import TensorCore
import Testing

/// `vis export` per Contract 3, run as the built binary.
@Suite struct ExportCommandTests {
    let suite = VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/pngsuite") + "/"

    func export(_ file: String, float: Bool = false) throws -> SafetensorsFile {
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try VisBinary.run(["export", file, "-o", out] + (float ? ["--float"] : []))
        #expect(result.status == 0, "\(result.error)")
        return try SafetensorsFile.read(path: out)
    }

    /// Palette with tRNS -> RGBA U8; 16-bit grey -> U16; 2-bit grey -> 8-bit (×85).
    @Test func storesDecodedSamplesAsTheFileHasThem() throws {
        let palette = try export(suite + "tbbn3p08.png")
        #expect(palette.info("image")?.dtype == .uint8 && palette.info("image")?.shape == [32, 32, 4])
        let grey16 = try export(suite + "basn0g16.png")
        #expect(grey16.info("image")?.dtype == .uint16 && grey16.info("image")?.shape == [32, 32, 1])
        let grey2 = try export(suite + "basn0g02.png")
        let values = Set(try grey2.integers("image"))
        #expect(values.isSubset(of: [0, 85, 170, 255]) && values.count == 4)
    }

    /// `--float`: (1,C,H,W) F32, channel-major, sample/255.
    @Test func floatIsNCHWInUnitRange() throws {
        let raw = try export(suite + "basn2c08.png")
        let float = try export(suite + "basn2c08.png", float: true)
        let samples = try raw.integers("image")                  // [H, W, C]
        let input = try float.tensor("input")
        #expect(input.shape == [1, 3, 32, 32])
        for (y, x, c) in [(0, 0, 0), (5, 17, 1), (31, 31, 2), (12, 3, 2)] {
            #expect(input[0, c, y, x] == Float(samples[(y * 32 + x) * 3 + c]) / 255)
        }
    }

    @Test func jpegIsOrientedRGB() throws {
        let file = try export(VisBinary.repositoryFile("Tests/ImageCodecsTests/Fixtures/jpeg/exif-orientation-6.jpg"))
        #expect(file.info("image")?.shape == [60, 90, 3])
    }

    @Test func corruptFileIsAnErrorAndWritesNothing() throws {
        let folder = VisBinary.temporaryFolder()
        let result = try VisBinary.run(["export", suite + "xcsn0g01.png", "-o", folder + "/x.safetensors"])
        #expect(result.status == 1)
        #expect(result.error.contains("xcsn0g01.png: corrupt image: IDAT: CRC error"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func existingOutputIsKeptUnlessOverwrite() throws {
        let folder = VisBinary.temporaryFolder()
        let out = folder + "/mine.safetensors"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: out))
        let refused = try VisBinary.run(["export", suite + "basn2c08.png", "-o", out])
        #expect(refused.status == 1 && refused.error.contains("already exists"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious")
        let replaced = try VisBinary.run(["export", suite + "basn2c08.png", "-o", out, "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.error)")
        #expect(try SafetensorsFile.read(path: out).info("image")?.shape == [32, 32, 3])
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try VisBinary.run(["export"]).status == 2)
        #expect(try VisBinary.run(["export", "a.png", "--bogus"]).status == 2)
        #expect(try VisBinary.run(["export", "--help"]).status == 0)
    }
}
