import Testing
@testable import ImageCodecs

/// The preview encoder: libjpeg-turbo's own bytes, read back by the decoder.
@Suite struct JPEGEncoderTests {
    /// A smooth gradient survives quality 95 within a few levels (JPEG's error on smooth
    /// areas at that quality); grey stays one channel; the header says the size.
    @Test func roundTripsThroughTheDecoder() throws {
        let (w, h) = (67, 45)   // not multiples of the 16×16 MCU
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) {
            pixels[3 * i] = UInt8((i % w) * 255 / (w - 1))
            pixels[3 * i + 1] = UInt8((i / w) * 255 / (h - 1))
            pixels[3 * i + 2] = 128
        }
        let bytes = try JPEGEncoder.encode(Image(width: w, height: h, channels: 3, pixels: pixels), quality: 95)
        #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF] && Array(bytes.suffix(2)) == [0xFF, 0xD9])
        let decoded = try ImageDecoder.decode(bytes: bytes, name: "gradient.jpg")
        #expect(decoded.width == w && decoded.height == h && decoded.channels == 3)
        let back = decoded.rgb8()
        let worst = zip(back, pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= 8, "largest difference \(worst)")

        let grey = [UInt8]((0..<(w * h)).map { UInt8($0 % 251) })
        let greyBack = try ImageDecoder.decode(bytes: try JPEGEncoder.encode(Image(width: w, height: h, channels: 1, pixels: grey)),
                                               name: "grey.jpg")
        #expect(greyBack.channels == 1)
    }

    @Test func refusesWhatJPEGCannotHold() {
        let alpha = Image(width: 2, height: 2, channels: 4, pixels: [UInt8](repeating: 0, count: 16))
        #expect(throws: ImageCodecError.self) { try JPEGEncoder.encode(alpha) }
        let deep = Image(width: 2, height: 2, channels: 3, samples: .uint16([UInt16](repeating: 0, count: 12)))
        #expect(throws: ImageCodecError.self) { try JPEGEncoder.encode(deep) }
    }
}
