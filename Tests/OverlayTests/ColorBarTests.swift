import Testing
@testable import Overlay

struct ColorBarTests {
    @Test func labelsUsePercentG() {
        #expect(ColorBar.label(0) == "0")
        #expect(ColorBar.label(1) == "1")
        #expect(ColorBar.label(0.5) == "0.5")
        #expect(ColorBar.label(-2) == "-2")
        #expect(ColorBar.label(0.000123) == "0.000123")
        #expect(ColorBar.label(12345) == "1.23e+04")
    }

    @Test func barPixelsAndLayout() {
        let canvas = RGBCanvas(width: 10, height: 40, fill: RGBColor(hex: 0x204060))
        let bar = ColorBar(colormap: .viridis, low: 0, high: 1)
        let out = bar.appended(to: canvas)
        // 10 + 3·6 + 12 + 5 (one glyph per label) = 45 wide, height kept.
        #expect(out.width == 45 && out.height == 40)
        let frame = bar.barFrame(canvasWidth: 10, canvasHeight: 40)
        #expect(frame == PixelRect(x: 16, y: 6, width: 12, height: 28))
        for y in 0..<40 {
            for x in 0..<10 { #expect(out[x, y] == RGBColor(hex: 0x204060)) }
        }
        for r in 0..<28 {
            let want = Colormap.viridis.color(for: 1 - (Float(r) + 0.5) / 28)
            for x in 16..<28 { #expect(out[x, 6 + r] == want, "bar row \(r)") }
        }
        #expect(out[16, 6] == Colormap.viridis.entry(251))  // 1 − 0.5/28 -> index 251
        #expect(out[16, 33] == Colormap.viridis.entry(4))   // 0.5/28 · 256 = 4.57
        // Margins are background; label ink only inside the two label boxes.
        let high = PixelRect(x: 34, y: 6, width: 5, height: 7), low = PixelRect(x: 34, y: 27, width: 5, height: 7)
        var inkHigh = 0, inkLow = 0
        for y in 0..<40 {
            for x in 10..<45 where !frame.contains(x: x, y: y) {
                if out[x, y] == .black {
                    #expect(high.contains(x: x, y: y) || low.contains(x: x, y: y), "stray ink at (\(x), \(y))")
                    if high.contains(x: x, y: y) { inkHigh += 1 } else { inkLow += 1 }
                } else {
                    #expect(out[x, y] == .white)
                }
            }
        }
        let ink = { (c: Character) in BitmapFont.rows(of: c).map(\.nonzeroBitCount).reduce(0, +) }
        #expect(inkHigh == ink("1") && inkLow == ink("0"))
    }

    @Test func shortCanvasGrowsToFitLabels() {
        let out = ColorBar(colormap: .jet, low: -1, high: 1).appended(to: RGBCanvas(width: 3, height: 5))
        #expect(out.height == 2 * 6 + 2 * 8)
        #expect(out.width == 3 + 18 + 12 + 10)  // "-1" is two glyphs
    }
}
