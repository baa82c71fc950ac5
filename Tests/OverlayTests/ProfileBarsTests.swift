import Testing
@testable import Overlay

struct ProfileBarsTests {
    @Test func barsAlongLeftAndTopEdges() {
        let background = RGBColor.blue, image = RGBCanvas(width: 6, height: 4, fill: .red)
        let bars = ProfileBars(barLength: 4, gap: 1, colormap: .gray,
                               normalization: .fixed(low: 0, high: 1), background: background)
        let out = bars.render(image: image, rowProfile: [0, 1], columnProfile: [0, 0.5, 1])
        #expect(out.width == 11 && out.height == 9)
        var expected = RGBCanvas(width: 11, height: 9, fill: background)
        expected.paste(image, x: 5, y: 5)
        // Row 1 of 2 covers image rows 2..<4 -> canvas rows 7..<9; full length 4, from x 0.
        expected.fillRectangle(PixelRect(x: 0, y: 7, width: 4, height: 2), color: .white)
        // Column 1 of 3 covers image columns 2..<4 -> canvas 7..<9; length round(0.5·4) = 2.
        expected.fillRectangle(PixelRect(x: 7, y: 2, width: 2, height: 2), color: Colormap.gray.color(for: 0.5))
        expected.fillRectangle(PixelRect(x: 9, y: 0, width: 2, height: 4), color: .white)
        #expect(out == expected)
    }

    @Test func bandsFollowTheGrid() {
        #expect(ProfileBars.band(0, count: 3, size: 10) == 0..<3)
        #expect(ProfileBars.band(1, count: 3, size: 10) == 3..<6)
        #expect(ProfileBars.band(2, count: 3, size: 10) == 6..<10)
    }

    @Test func minMaxIsPerProfile() {
        let bars = ProfileBars(barLength: 10, gap: 0, colormap: .gray, background: .blue)
        let out = bars.render(image: RGBCanvas(width: 2, height: 2), rowProfile: [0.4, 0.6], columnProfile: [3, 3])
        // Row profile normalises to [0, 1]: row 1 gets a full white bar, row 0 none.
        #expect(out[0, 11] == .white && out[9, 11] == .white && out[0, 10] == .blue)
        // The constant column profile normalises to zeros: no column bars.
        for x in 10..<12 { for y in 0..<10 { #expect(out[x, y] == .blue) } }
    }
}
