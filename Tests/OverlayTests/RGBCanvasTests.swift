import Testing
@testable import Overlay

struct RGBCanvasTests {
    @Test func fillAndPixelAccess() {
        var canvas = RGBCanvas(width: 3, height: 2, fill: RGBColor(hex: 0x102030))
        #expect(canvas.pixels.count == 18)
        #expect(canvas.pixels[0..<3] == [0x10, 0x20, 0x30])
        canvas[2, 1] = .red
        // (x 2, y 1) lives at (1·3 + 2)·3 = 15.
        #expect(canvas.pixels[15..<18] == [255, 0, 0])
        #expect(canvas.pixel(x: 2, y: 1) == .red)
        canvas.setPixel(x: 3, y: 0, .green)  // outside: ignored
        canvas.setPixel(x: -1, y: 0, .green)
        #expect(canvas.pixels.filter { $0 == 255 }.count == 1)
    }

    @Test func initFromPixels() {
        let canvas = RGBCanvas(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(canvas[1, 0] == RGBColor(red: 4, green: 5, blue: 6))
        #expect(canvas == RGBCanvas(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6]))
    }

    @Test func blendPixelRounds() {
        var canvas = RGBCanvas(width: 1, height: 1, fill: RGBColor(red: 0, green: 100, blue: 255))
        canvas.blendPixel(x: 0, y: 0, .white, alpha: 0.5)
        // 0·0.5 + 255·0.5 = 127.5 -> 128; 100 -> 177.5 -> 178; 255 -> 255.
        #expect(canvas[0, 0] == RGBColor(red: 128, green: 178, blue: 255))
    }

    @Test func pasteClipsToTheCanvas() {
        var base = RGBCanvas(width: 4, height: 3)
        let patch = RGBCanvas(width: 2, height: 2, fill: .white)
        base.paste(patch, x: 3, y: -1)
        var expected = RGBCanvas(width: 4, height: 3)
        expected[3, 0] = .white
        #expect(base == expected)
        base.paste(patch, x: 10, y: 10)
        #expect(base == expected)
    }
}
