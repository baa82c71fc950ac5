import Testing
@testable import Overlay

/// Pixel-exact checks of the drawing primitives.
struct DrawingTests {
    /// The set pixels (non-black) of a canvas drawn on black.
    func marked(_ canvas: RGBCanvas) -> Set<[Int]> {
        var set = Set<[Int]>()
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x, y] != .black { set.insert([x, y]) }
        }
        return set
    }

    @Test func rectangleOutlinePixels() {
        var canvas = RGBCanvas(width: 10, height: 8)
        canvas.drawRectangle(PixelRect(x: 2, y: 1, width: 5, height: 4), color: .red)
        var expected = Set<[Int]>()
        for x in 2..<7 { expected.insert([x, 1]); expected.insert([x, 4]) }
        for y in 1..<5 { expected.insert([2, y]); expected.insert([6, y]) }
        #expect(marked(canvas) == expected)
        #expect(canvas[2, 1] == .red)
    }

    @Test func thickRectangleDrawsInside() {
        var canvas = RGBCanvas(width: 8, height: 8)
        canvas.drawRectangle(PixelRect(x: 1, y: 1, width: 6, height: 6), color: .green, thickness: 2)
        var expected = Set<[Int]>()
        for y in 1..<7 { for x in 1..<7 where !((3..<5).contains(x) && (3..<5).contains(y)) { expected.insert([x, y]) } }
        #expect(marked(canvas) == expected)
    }

    @Test func rectangleIsClipped() {
        var canvas = RGBCanvas(width: 4, height: 4)
        canvas.drawRectangle(PixelRect(x: -2, y: -2, width: 4, height: 4), color: .white)
        // Only the right column (x 1) and bottom row (y 1) of the box fall inside.
        #expect(marked(canvas) == [[0, 1], [1, 1], [1, 0]])
        canvas.drawRectangle(PixelRect(x: 100, y: -50, width: 10, height: 10), color: .white)
        #expect(marked(canvas).count == 3)
    }

    @Test func bresenhamLine() {
        var canvas = RGBCanvas(width: 6, height: 4)
        canvas.drawLine(x0: 0, y0: 0, x1: 5, y1: 2, color: .white)
        #expect(marked(canvas) == [[0, 0], [1, 0], [2, 1], [3, 1], [4, 2], [5, 2]])
        var reverse = RGBCanvas(width: 6, height: 4)
        reverse.drawLine(x0: 5, y0: 2, x1: 0, y1: 0, color: .white)
        #expect(marked(reverse).count == 6)
        var vertical = RGBCanvas(width: 3, height: 5)
        vertical.drawLine(x0: 1, y0: 4, x1: 1, y1: 0, color: .white)
        #expect(marked(vertical) == [[1, 0], [1, 1], [1, 2], [1, 3], [1, 4]])
    }

    @Test func thickLineAndClipping() {
        var canvas = RGBCanvas(width: 6, height: 5)
        canvas.drawLine(x0: 1, y0: 2, x1: 4, y1: 2, color: .white, thickness: 3)
        var expected = Set<[Int]>()
        for x in 0..<6 { for y in 1..<4 { expected.insert([x, y]) } }
        #expect(marked(canvas) == expected)
        var clipped = RGBCanvas(width: 4, height: 4)
        clipped.drawLine(x0: -10, y0: 1, x1: 10, y1: 1, color: .white)
        #expect(marked(clipped) == [[0, 1], [1, 1], [2, 1], [3, 1]])
    }

    @Test func filledCircle() {
        var canvas = RGBCanvas(width: 7, height: 7)
        canvas.fillCircle(centerX: 3, centerY: 3, radius: 2, color: .white)
        var expected = Set<[Int]>()
        for y in 0..<7 { for x in 0..<7 where (x - 3) * (x - 3) + (y - 3) * (y - 3) <= 4 { expected.insert([x, y]) } }
        #expect(expected.count == 13)
        #expect(marked(canvas) == expected)
        var corner = RGBCanvas(width: 3, height: 3)
        corner.fillCircle(centerX: 0, centerY: 0, radius: 1, color: .white)
        #expect(marked(corner) == [[0, 0], [1, 0], [0, 1]])
    }

    @Test func ring() {
        var canvas = RGBCanvas(width: 7, height: 7)
        canvas.drawCircle(centerX: 3, centerY: 3, radius: 2, color: .white)
        // d² in (1, 4]: the 13-pixel disc minus the 5-pixel disc of radius 1.
        #expect(marked(canvas).count == 8)
        #expect(!marked(canvas).contains([3, 3]) && marked(canvas).contains([3, 1]))
    }

    @Test func crosshairMarker() {
        var canvas = RGBCanvas(width: 9, height: 9)
        canvas.drawCrosshair(x: 4, y: 4, radius: 3, gap: 1, color: .yellow)
        let expected: Set<[Int]> = [[1, 4], [2, 4], [6, 4], [7, 4], [4, 1], [4, 2], [4, 6], [4, 7]]
        #expect(marked(canvas) == expected)
        var solid = RGBCanvas(width: 5, height: 5)
        solid.drawCrosshair(x: 2, y: 2, radius: 2, color: .yellow)
        #expect(marked(solid).count == 9)
        #expect(marked(solid).contains([2, 2]))
    }

    @Test func arrowHasLineAndHeadAtTheEnd() {
        var canvas = RGBCanvas(width: 30, height: 11)
        canvas.drawArrow(x0: 2, y0: 5, x1: 25, y1: 5, color: .white, headLength: 6)
        let pixels = marked(canvas)
        for x in 2...25 { #expect(pixels.contains([x, 5])) }
        // Head corners at 25 − round(6·cos 25°) = 20, 5 ± round(6·sin 25°) = 5 ± 3.
        #expect(pixels.contains([20, 2]) && pixels.contains([20, 8]))
        #expect(!pixels.contains([26, 5]) && !pixels.contains([19, 2]))
        // The head is symmetric about the shaft.
        for p in pixels { #expect(pixels.contains([p[0], 10 - p[1]])) }
        // Nothing to the left of the start.
        #expect(pixels.allSatisfy { $0[0] >= 2 })
    }

    @Test func triangleFillsPixelCentres() {
        var canvas = RGBCanvas(width: 5, height: 5)
        canvas.fillTriangle((0, 0), (4, 0), (0, 4), color: .white)
        var expected = Set<[Int]>()
        for y in 0..<5 { for x in 0..<5 where x + y <= 4 { expected.insert([x, y]) } }
        #expect(marked(canvas) == expected)
    }
}
