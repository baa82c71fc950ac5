import Testing
@testable import Overlay

struct BitmapFontTests {
    @Test func glyphOfAMatchesTheFont() {
        // X11 5x7 "A":  .##.. / #..#. / #..#. / ####. / #..#. / #..#. / .....
        #expect(Array(BitmapFont.rows(of: "A")) == [0x0c, 0x12, 0x12, 0x1e, 0x12, 0x12, 0x00])
        #expect(BitmapFont.isSet("A", column: 1, row: 0))
        #expect(!BitmapFont.isSet("A", column: 0, row: 0))
        #expect(Array(BitmapFont.rows(of: " ")) == [0, 0, 0, 0, 0, 0, 0])
        #expect(BitmapFont.rows(of: "é") == BitmapFont.rows(of: "?"))
        #expect(BitmapFont.fixed5x7Rows.count == 95 * 7)
    }

    @Test func everyPrintableButSpaceHasInk() {
        for code in 33...126 {
            let c = Character(Unicode.Scalar(UInt8(code)))
            #expect(BitmapFont.rows(of: c).contains { $0 != 0 }, "glyph \(code) is empty")
            // The rightmost column is the spacing column for all glyphs but a few wide ones.
        }
    }

    @Test func measuresText() {
        #expect(BitmapFont.size(of: "abc") == (15, 7))
        #expect(BitmapFont.size(of: "abc", scale: 2) == (30, 14))
        #expect(BitmapFont.size(of: "ab\nlonger") == (30, 15))
        #expect(BitmapFont.size(of: "") == (0, 0))
    }

    @Test func textDrawsInsideItsBoxOnly() {
        var canvas = RGBCanvas(width: 50, height: 20)
        let box = canvas.drawText("Hi 7", x: 3, y: 4, color: .white, scale: 2)
        #expect(box == PixelRect(x: 3, y: 4, width: 40, height: 14))
        var inside = 0
        for y in 0..<20 {
            for x in 0..<50 where canvas[x, y] == .white {
                #expect(box.contains(x: x, y: y), "ink outside the box at (\(x), \(y))")
                inside += 1
            }
        }
        #expect(inside > 0)
        // The "H" glyph (0x12 on row 0 = columns 0 and 3) at scale 2: 2×2 blocks.
        #expect(canvas[3, 4] == .white && canvas[4, 5] == .white && canvas[5, 4] == .black)
        #expect(canvas[9, 4] == .white)
        // The total ink equals 4 × the number of set font pixels.
        let fontPixels = "Hi 7".map { c in BitmapFont.rows(of: c).map { $0.nonzeroBitCount }.reduce(0, +) }.reduce(0, +)
        #expect(inside == 4 * fontPixels)
    }

    @Test func backgroundBoxIsPadded() {
        var canvas = RGBCanvas(width: 20, height: 12)
        let box = canvas.drawText("x", x: 5, y: 3, color: .black, background: .white, padding: 2)
        #expect(box == PixelRect(x: 3, y: 1, width: 9, height: 11))
        for y in 0..<12 {
            for x in 0..<20 {
                let ink = BitmapFont.isSet("x", column: x - 5, row: y - 3)
                let want: RGBColor = box.contains(x: x, y: y) && !ink ? .white : .black
                #expect(canvas[x, y] == want, "(\(x), \(y))")
            }
        }
    }

    @Test func clippedTextEqualsACropOfUnclippedText() {
        // Drawn partly off a small canvas, the text must match the same window of a large one.
        var small = RGBCanvas(width: 6, height: 4)
        small.drawText("WMW", x: -4, y: -2, color: .white, scale: 2)
        var large = RGBCanvas(width: 60, height: 40)
        large.drawText("WMW", x: 6, y: 8, color: .white, scale: 2)
        var window = RGBCanvas(width: 6, height: 4)
        for y in 0..<4 { for x in 0..<6 { window[x, y] = large[x + 10, y + 10] } }
        #expect(small == window)
        #expect(small.pixels.contains(255))
    }
}
