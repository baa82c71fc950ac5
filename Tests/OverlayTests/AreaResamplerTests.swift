import Testing
@testable import Overlay

/// The row-streaming area resampler against the planar Float path (itself checked by hand in
/// ResizeTests): same bytes for shrinking, enlarging, mixed and odd sizes.
struct AreaResamplerTests {
    /// Bytes from a 64-bit linear congruential generator (Knuth's MMIX constants).
    static func noise(width: Int, height: Int, seed: UInt64) -> RGBCanvas {
        var state = seed
        let bytes = (0..<(3 * width * height)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return RGBCanvas(width: width, height: height, pixels: bytes)
    }

    @Test(arguments: [
        (37, 23, 10, 7), (400, 300, 100, 77), (4000 / 8, 3000 / 8, 1024 / 8, 768 / 8), (5, 4, 13, 9),
        (40, 3, 7, 11), (1, 1, 3, 2), (9, 9, 9, 4), (17, 5, 17, 13), (3, 1, 2, 1), (301, 199, 300, 200),
    ])
    func streamingEqualsPlanar(_ size: (Int, Int, Int, Int)) {
        let (w, h, newWidth, newHeight) = size
        let canvas = Self.noise(width: w, height: h, seed: UInt64(w * 1000 + h))
        let streamed = canvas.resized(width: newWidth, height: newHeight, method: .area)
        let planar = canvas.planarResized(width: newWidth, height: newHeight, method: .area)
        #expect(streamed.width == newWidth && streamed.height == newHeight)
        let differing = zip(streamed.pixels, planar.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "\(w)×\(h) -> \(newWidth)×\(newHeight): \(differing) bytes differ")
    }

    @Test func flatStaysFlat() {
        let canvas = RGBCanvas(width: 123, height: 45, fill: RGBColor(red: 7, green: 128, blue: 255))
        let out = canvas.resized(width: 31, height: 10)
        #expect(out.pixels == RGBCanvas(width: 31, height: 10, fill: RGBColor(red: 7, green: 128, blue: 255)).pixels)
    }
}
