import Testing
@testable import Overlay

struct ResizeTests {
    @Test func areaHalvingAveragesBlocks() {
        var canvas = RGBCanvas(width: 4, height: 2)
        let values: [UInt8] = [10, 20, 30, 41, 0, 0, 255, 255]  // grey levels, row-major
        for (i, v) in values.enumerated() { canvas[i % 4, i / 4] = RGBColor(red: v, green: v, blue: 255 - v) }
        let out = canvas.resized(width: 2, height: 1)
        // (10+20+0+0)/4 = 7.5 -> 8; (30+41+255+255)/4 = 145.25 -> 145.
        #expect(out[0, 0] == RGBColor(red: 8, green: 8, blue: 248))
        #expect(out[1, 0] == RGBColor(red: 145, green: 145, blue: 110))
    }

    @Test func areaWithFractionalCoverage() {
        var canvas = RGBCanvas(width: 3, height: 1)
        for (x, v) in [0, 90, 180].enumerated() { canvas[x, 0] = RGBColor(red: UInt8(v), green: 0, blue: 0) }
        let out = canvas.resized(width: 2, height: 1)
        // Output 0 covers [0, 1.5): (0 + 0.5·90)/1.5 = 30; output 1 covers [1.5, 3): 150.
        #expect(out[0, 0].red == 30 && out[1, 0].red == 150)
    }

    @Test func nearestDoublingReplicates() {
        let canvas = RGBCanvas(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        let out = canvas.resized(width: 4, height: 2, method: .nearest)
        #expect(out.pixels == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
    }

    @Test func bilinearUpscaleInterpolates() {
        let canvas = RGBCanvas(width: 2, height: 1, pixels: [0, 0, 0, 200, 100, 40])
        let out = canvas.resized(width: 4, height: 1, method: .bilinear)
        // Sources −0.25→0, 0.25, 0.75, 1.25→1: weights on the right pixel 0, .25, .75, 1.
        #expect(out.pixels == [0, 0, 0, 50, 25, 10, 150, 75, 30, 200, 100, 40])
    }

    @Test func fittedKeepsAspectAndNeverGrows() {
        let wide = RGBCanvas(width: 100, height: 50, fill: .gray)
        let thumb = wide.fitted(maxWidth: 20, maxHeight: 20)
        #expect(thumb.width == 20 && thumb.height == 10)
        #expect(thumb.pixels.allSatisfy { $0 == 0x80 })
        let small = RGBCanvas(width: 5, height: 5)
        #expect(small.fitted(maxWidth: 20, maxHeight: 20) == small)
    }
}
