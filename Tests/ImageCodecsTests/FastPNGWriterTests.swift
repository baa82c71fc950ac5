import Foundation
import Testing
@testable import ImageCodecs

/// vis_png_fast (PNGEncoder level 1, 8-bit): every file must decode through libpng, which
/// checks each chunk's CRC-32 and lets zlib inflate the stream and check its Adler-32, to
/// exactly the pixels given. Neither libpng nor zlib shares code with the writer.
@Suite struct FastPNGWriterTests {
    /// SplitMix64 bytes (deterministic noise: the worst case for the writer).
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    func roundTrip(_ image: Image, _ label: String) throws {
        let bytes = try PNGEncoder.encode(image, level: PNGEncoder.fastLevel)
        let decoded = try ImageDecoder.decode(bytes: bytes, name: label)
        #expect(decoded.width == image.width && decoded.height == image.height && decoded.channels == image.channels,
                "\(label): decoded \(decoded.width)×\(decoded.height)×\(decoded.channels)")
        if decoded != image {
            let a = image.uint8Samples, b = decoded.uint8Samples
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("\(label): first differing sample at \(first) of \(a.count)")
        }
    }

    /// Level 1 is the fast writer (byte for byte), not libpng; the chunks are laid out as
    /// the PNG specification says (signature, IHDR fields, IDAT with a zlib header, IEND
    /// with its fixed CRC).
    @Test func levelOneUsesTheFastWriter() throws {
        let image = Image(width: 5, height: 3, channels: 3, pixels: Self.noise(45, seed: 1))
        let bytes = try PNGEncoder.encode(image, level: 1)
        let fast = try image.uint8Samples.withUnsafeBytes { (raw) throws(ImageCodecError) in
            try CodecShim.encodeFastPNG(raw, width: 5, height: 3, channels: 3, fd: nil, path: "<test>")
        }
        let zlib = try image.uint8Samples.withUnsafeBytes { (raw) throws(ImageCodecError) in
            try CodecShim.encodePNG(raw, width: 5, height: 3, channels: 3, bitDepth: 8, level: 1, path: "<test>")
        }
        #expect(bytes == fast && bytes != zlib)
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
        #expect(Array(bytes[16..<29]) == [0, 0, 0, 5, 0, 0, 0, 3, 8, 2, 0, 0, 0])
        #expect(Array(bytes[37..<41]) == Array("IDAT".utf8))
        #expect(bytes[41] == 0x78 && bytes[42] == 0x01)
        #expect(Array(bytes.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test(arguments: [1, 2, 3, 4])
    func smallShapesRoundTrip(channels: Int) throws {
        for width in 1...17 {
            for height in 1...3 {
                let count = width * height * channels
                try roundTrip(Image(width: width, height: height, channels: channels,
                                    pixels: Self.noise(count, seed: UInt64(width * 31 + height))),
                              "noise \(width)×\(height)×\(channels)")
                try roundTrip(Image(width: width, height: height, channels: channels,
                                    pixels: [UInt8](repeating: 200, count: count)),
                              "flat \(width)×\(height)×\(channels)")
            }
        }
        try roundTrip(Image(width: 1, height: 1, channels: channels, pixels: [UInt8](repeating: 0, count: channels)),
                      "1×1 black")
    }

    /// Several bands (~256 KB each), long flat runs (> 258 bytes, across rows and bands),
    /// gradients (constant Sub/Up differences: distance-one-pixel runs), noise (stored
    /// blocks) and a mix of the three in one image.
    @Test(arguments: [1, 2, 3, 4])
    func largeImagesRoundTrip(channels: Int) throws {
        let (width, height) = (613, 457)
        let count = width * height * channels
        try roundTrip(Image(width: width, height: height, channels: channels,
                            pixels: [UInt8](repeating: 17, count: count)), "flat \(channels)")
        try roundTrip(Image(width: width, height: height, channels: channels,
                            pixels: Self.noise(count, seed: 7)), "noise \(channels)")
        var gradient = [UInt8](repeating: 0, count: count)
        var mixed = Self.noise(count, seed: 9)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let i = (y * width + x) * channels + c
                    gradient[i] = UInt8(truncatingIfNeeded: x * (c + 1) + y * 3)
                    if (x / 64 + y / 64) % 3 == 0 { mixed[i] = UInt8(truncatingIfNeeded: 40 * c) }
                    else if (x / 64 + y / 64) % 3 == 1 { mixed[i] = gradient[i] }
                }
            }
        }
        try roundTrip(Image(width: width, height: height, channels: channels, pixels: gradient), "gradient \(channels)")
        try roundTrip(Image(width: width, height: height, channels: channels, pixels: mixed), "mixed \(channels)")
    }

    /// A row wider than a band (one row per band).
    @Test func rowWiderThanABand() throws {
        let width = 100_000
        try roundTrip(Image(width: width, height: 3, channels: 3, pixels: Self.noise(width * 9, seed: 3)), "wide noise")
        let gradient = (0..<(width * 6)).map { UInt8(truncatingIfNeeded: $0 / 7) }
        try roundTrip(Image(width: width, height: 2, channels: 3, pixels: gradient), "wide gradient")
    }

    /// Real pictures: the repository's samples and the PngSuite photos, re-encoded.
    @Test func realImagesRoundTrip() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples").path
        let names = try FileManager.default.contentsOfDirectory(atPath: samples)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
        #expect(names.count >= 4, "samples found: \(names)")
        for name in names {
            let image = try ImageDecoder.decode(path: samples + "/" + name)
            let eightBit = Image(width: image.width, height: image.height, channels: image.channels,
                                 pixels: image.uint8Samples)
            try roundTrip(eightBit, name)
            if image.channels == 3 {
                let grey = (0..<(image.width * image.height)).map { eightBit.uint8Samples[3 * $0 + 1] }
                try roundTrip(Image(width: image.width, height: image.height, channels: 1, pixels: grey), name + " green")
            }
        }
        for name in Fixtures.files(in: "pngsuite", where: { $0.hasPrefix("basn") && $0.hasSuffix(".png") }) {
            let image = try ImageDecoder.decode(path: Fixtures.path("pngsuite/" + name))
            guard image.bitDepth == 8 else { continue }
            try roundTrip(image, name)
        }
    }

    /// PNGEncoder.write at level 1 streams into the file; the file decodes to the image.
    @Test func writeStreamsIntoTheFile() throws {
        let folder = Fixtures.temporaryFolder()
        let path = folder + "/fast.png"
        let image = Image(width: 300, height: 200, channels: 4, pixels: Self.noise(300 * 200 * 4, seed: 5))
        try PNGEncoder.write(image, to: path, level: 1)
        #expect(try ImageDecoder.decode(path: path) == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["fast.png"])
        let inMemory = try PNGEncoder.encode(image, level: 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(inMemory))
    }
}
