import CImageCodecs
import Foundation
import Testing
@testable import ImageCodecs

/// vis_png_fast in parts (row ranges encoded in parallel, then concatenated): the file must
/// decode through libpng to the image, and its zlib stream must carry the same data (so the
/// same Adler-32) as the one-pass writer, whatever the number of parts.
@Suite struct FastPNGPartsTests {
    /// Adler-32 by its definition (RFC 1950 §8.2), independent of zlib and of the shim.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// The 4 bytes of the zlib stream's Adler-32: the end of the last IDAT, before IEND.
    static func streamAdler(_ png: [UInt8]) -> [UInt8] { Array(png.suffix(20).prefix(4)) }

    @Test func adlerCombineMatchesTheDefinition() {
        let whole = Array("Wikipedia".utf8)
        #expect(Self.adler32(whole) == 0x11E6_0398)   // the worked example of RFC 1950's checksum
        let noise = FastPNGWriterTests.noise(100_000, seed: 11)
        for cut in [0, 1, 5, 65_521, 99_999] {
            let (a, b) = (Array(noise[..<cut]), Array(noise[cut...]))
            #expect(vis_png_fast_adler_combine(Self.adler32(a), Self.adler32(b), b.count) == Self.adler32(noise))
        }
    }

    func check(_ image: Image, parts: Int, _ label: String) throws {
        let png = try PNGEncoder.encodeInParts(image, parts: parts)
        let decoded = try ImageDecoder.decode(bytes: png, name: label)
        #expect(decoded == image, "\(label), \(parts) parts: pixels differ after decoding")
        let serial = try PNGEncoder.encode(image, level: PNGEncoder.fastLevel)
        #expect(Self.streamAdler(png) == Self.streamAdler(serial), "\(label), \(parts) parts: Adler-32 differs")
        #expect(Array(png.prefix(33)) == Array(serial.prefix(33)), "\(label): signature and IHDR")
    }

    @Test(arguments: [1, 2, 3, 4])
    func partsRoundTrip(channels: Int) throws {
        let (width, height) = (613, 457)
        let count = width * height * channels
        var mixed = FastPNGWriterTests.noise(count, seed: 9)
        for i in stride(from: 0, to: count, by: 1) where (i / (width * channels * 50)) % 2 == 0 {
            mixed[i] = UInt8(truncatingIfNeeded: i / (channels * 97))   // flat and gradient stretches
        }
        let images = [
            ("noise", FastPNGWriterTests.noise(count, seed: 7)),
            ("flat", [UInt8](repeating: 17, count: count)),
            ("mixed", mixed),
        ]
        for (name, pixels) in images {
            let image = Image(width: width, height: height, channels: channels, pixels: pixels)
            for parts in [1, 2, 3, 8, 61] { try check(image, parts: parts, "\(name) ×\(channels)") }
        }
    }

    /// Parts of one row each, and images one row high.
    @Test func onePartPerRow() throws {
        for (width, height) in [(1, 1), (1, 7), (5, 3), (17, 2), (40_000, 3)] {
            let image = Image(width: width, height: height, channels: 3,
                              pixels: FastPNGWriterTests.noise(width * height * 3, seed: UInt64(width + height)))
            try check(image, parts: height, "\(width)×\(height)")
        }
    }

    /// Big images are written in parts (8 for 8 MB and more) and the file decodes.
    @Test func writeUsesPartsForBigImages() throws {
        let (width, height) = (1600, 1200)
        let image = Image(width: width, height: height, channels: 3,
                          pixels: FastPNGWriterTests.noise(width * height * 3, seed: 13))
        #expect(PNGEncoder.partCount(image) == 1)
        let big = Image(width: 2048, height: 1366, channels: 3, pixels: FastPNGWriterTests.noise(2048 * 1366 * 3, seed: 17))
        #expect(PNGEncoder.partCount(big) == 2)
        let path = Fixtures.temporaryFolder() + "/parts.png"
        try PNGEncoder.write(big, to: path, level: 1)
        #expect(try ImageDecoder.decode(path: path) == big)
        #expect(PNGEncoder.partCount(Image(width: 4000, height: 3000, channels: 3, pixels: [UInt8](repeating: 0, count: 36_000_000))) == 8)
    }
}

/// The AVX2 kernels (filter choice, Adler-32) against the portable code: the same bytes.
@Suite struct FastPNGSIMDTests {
    @Test(arguments: [1, 2, 3, 4])
    func simdAndPortableWriteTheSameBytes(channels: Int) throws {
        for (width, height) in [(1, 1), (7, 5), (33, 9), (613, 57)] {
            let count = width * height * channels
            var gradient = FastPNGWriterTests.noise(count, seed: UInt64(width))
            for i in 0..<(count / 2) { gradient[i] = UInt8(truncatingIfNeeded: i / 5 + (i % channels) * 40) }
            let image = Image(width: width, height: height, channels: channels, pixels: gradient)
            vis_png_fast_set_simd(0)
            let portable = try PNGEncoder.encode(image, level: PNGEncoder.fastLevel)
            vis_png_fast_set_simd(1)
            let simd = try PNGEncoder.encode(image, level: PNGEncoder.fastLevel)
            #expect(portable == simd, "\(width)×\(height)×\(channels): the two paths differ")
            #expect(try ImageDecoder.decode(bytes: portable, name: "portable") == image)
        }
    }
}

/// One band whose first rows compress well and whose last rows are noise: the noise rows
/// take more than their raw size (long codes), which the decoder must still accept.
@Suite struct FastPNGBandTailTests {
    @Test func compressibleRowsThenNoiseDecode() throws {
        let (width, height) = (613, 57)
        var pixels = FastPNGWriterTests.noise(width * height * 3, seed: 613)
        for i in 0..<(pixels.count / 2) { pixels[i] = UInt8(truncatingIfNeeded: i / 5 + (i % 3) * 40) }
        let image = Image(width: width, height: height, channels: 3, pixels: pixels)
        let png = try PNGEncoder.encode(image, level: PNGEncoder.fastLevel)
        #expect(try ImageDecoder.decode(bytes: png, name: "tail") == image)
    }
}

/// PNGEncoder.writeRows (rows drawn on demand, in parts) writes the bytes of the parts
/// writer on the whole image (for big images exactly what PNGEncoder.write gives), and the
/// file decodes to the image.
@Suite struct FastPNGRowsTests {
    @Test(arguments: [(613, 457, 3), (2048, 1366, 3), (5, 1, 4), (300, 17, 1)])
    func writeRowsEqualsWrite(_ size: (Int, Int, Int)) throws {
        let (width, height, channels) = size
        let stride = width * channels
        let pixels = FastPNGWriterTests.noise(width * height * channels, seed: UInt64(width * height))
        let image = Image(width: width, height: height, channels: channels, pixels: pixels)
        let folder = Fixtures.temporaryFolder()
        try PNGEncoder.write(image, to: folder + "/whole.png", level: 1)
        let parts = PNGEncoder.partCount(image)
        try PNGEncoder.writeRows(width: width, height: height, channels: channels, to: folder + "/rows.png") { rows, buffer in
            pixels.withUnsafeBufferPointer {
                buffer.update(from: $0.baseAddress! + rows.lowerBound * stride, count: rows.count * stride)
            }
        }
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/whole.png")))
        let rows = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/rows.png")))
        #expect(rows == (try PNGEncoder.encodeInParts(image, parts: parts)))
        if parts > 1 { #expect(rows == whole) }
        #expect(try ImageDecoder.decode(path: folder + "/rows.png") == image)
    }
}
