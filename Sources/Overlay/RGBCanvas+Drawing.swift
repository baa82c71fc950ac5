import Foundation

/// Drawing primitives. Coordinates are whole pixels, origin top-left; every primitive is
/// clipped to the canvas, so any coordinates (even far outside) are safe. Shapes are
/// aliased (pixels are either set or not) so that their pixels are exactly predictable.
extension RGBCanvas {
    /// The whole canvas as a box.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// Fills every pixel of `rect` (clipped).
    public mutating func fillRectangle(_ rect: PixelRect, color: RGBColor) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            var o = (y * width + r.x) * 3
            for _ in 0..<r.width {
                pixels[o] = color.red
                pixels[o + 1] = color.green
                pixels[o + 2] = color.blue
                o += 3
            }
        }
    }

    /// Outlines `rect`: the border `thickness` pixels wide, drawn inside the box.
    public mutating func drawRectangle(_ rect: PixelRect, color: RGBColor, thickness: Int = 1) {
        precondition(thickness >= 1, "thickness must be ≥ 1, got \(thickness)")
        guard !rect.isEmpty else { return }
        let t = min(thickness, (min(rect.width, rect.height) + 1) / 2)
        fillRectangle(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fillRectangle(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), color: color)
        fillRectangle(PixelRect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
        fillRectangle(PixelRect(x: rect.maxX - t, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
    }

    /// A straight line from `(x0, y0)` to `(x1, y1)`, both ends included (Bresenham).
    /// With `thickness > 1` each point is a `thickness × thickness` square centred on it
    /// (offsets `−(t−1)/2 … t/2`).
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: RGBColor, thickness: Int = 1) {
        precondition(thickness >= 1, "thickness must be ≥ 1, got \(thickness)")
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        var (x, y) = (x0, y0)
        // Skip the walk entirely when the whole line is far outside the canvas.
        let reach = thickness
        if max(x0, x1) + reach < 0 || max(y0, y1) + reach < 0
            || min(x0, x1) - reach >= width || min(y0, y1) - reach >= height { return }
        let back = (thickness - 1) / 2
        while true {
            if thickness == 1 {
                setPixel(x: x, y: y, color)
            } else {
                fillRectangle(PixelRect(x: x - back, y: y - back, width: thickness, height: thickness), color: color)
            }
            if x == x1 && y == y1 { break }
            let twice = 2 * error
            if twice >= dy { error += dy; x += sx }
            if twice <= dx { error += dx; y += sy }
        }
    }

    /// A filled disc: every pixel `(x, y)` with `(x − cx)² + (y − cy)² ≤ radius²`.
    public mutating func fillCircle(centerX cx: Int, centerY cy: Int, radius: Int, color: RGBColor) {
        precondition(radius >= 0, "radius must be ≥ 0, got \(radius)")
        let box = PixelRect(x: cx - radius, y: cy - radius, width: 2 * radius + 1, height: 2 * radius + 1)
            .intersection(bounds)
        guard !box.isEmpty else { return }
        for y in box.y..<box.maxY {
            for x in box.x..<box.maxX where (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius {
                setPixel(x: x, y: y, color)
            }
        }
    }

    /// A ring: pixels with `(radius − thickness)² < d² ≤ radius²`, `d` measured from the centre.
    public mutating func drawCircle(centerX cx: Int, centerY cy: Int, radius: Int, color: RGBColor,
                                    thickness: Int = 1) {
        precondition(radius >= 0 && thickness >= 1, "need radius ≥ 0 and thickness ≥ 1, got \(radius), \(thickness)")
        let inner = max(radius - thickness, -1)
        let box = PixelRect(x: cx - radius, y: cy - radius, width: 2 * radius + 1, height: 2 * radius + 1)
            .intersection(bounds)
        guard !box.isEmpty else { return }
        for y in box.y..<box.maxY {
            for x in box.x..<box.maxX {
                let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy)
                if d2 <= radius * radius && (inner < 0 || d2 > inner * inner) { setPixel(x: x, y: y, color) }
            }
        }
    }

    /// A cross-hair marker for a query point: four arms from `gap + 1` to `radius` pixels
    /// away from `(x, y)` (the centre pixel is set when `gap == 0`), each `thickness` wide.
    /// With `clip`, only pixels inside that box are drawn (as if it were the whole canvas).
    public mutating func drawCrosshair(x: Int, y: Int, radius: Int, gap: Int = 0, color: RGBColor,
                                       thickness: Int = 1, clip: PixelRect? = nil) {
        precondition(radius >= 0 && gap >= 0 && thickness >= 1,
                     "need radius ≥ 0, gap ≥ 0, thickness ≥ 1, got \(radius), \(gap), \(thickness)")
        let area = clip ?? bounds
        let back = (thickness - 1) / 2
        let length = radius - gap
        if length > 0 {
            fillRectangle(PixelRect(x: x - radius, y: y - back, width: length, height: thickness).intersection(area), color: color)
            fillRectangle(PixelRect(x: x + gap + 1, y: y - back, width: length, height: thickness).intersection(area), color: color)
            fillRectangle(PixelRect(x: x - back, y: y - radius, width: thickness, height: length).intersection(area), color: color)
            fillRectangle(PixelRect(x: x - back, y: y + gap + 1, width: thickness, height: length).intersection(area), color: color)
        }
        if gap == 0 {
            fillRectangle(PixelRect(x: x - back, y: y - back, width: thickness, height: thickness).intersection(area), color: color)
        }
    }

    /// A filled triangle: pixels whose centres lie inside or on the triangle whose corners
    /// are the centres of the three given pixels.
    public mutating func fillTriangle(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int), _ c: (x: Int, y: Int),
                                      color: RGBColor) {
        let box = PixelRect(x: min(a.x, b.x, c.x), y: min(a.y, b.y, c.y),
                            width: max(a.x, b.x, c.x) - min(a.x, b.x, c.x) + 1,
                            height: max(a.y, b.y, c.y) - min(a.y, b.y, c.y) + 1).intersection(bounds)
        guard !box.isEmpty else { return }
        func edge(_ p: (x: Int, y: Int), _ q: (x: Int, y: Int), _ x: Int, _ y: Int) -> Int {
            (q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x)
        }
        for y in box.y..<box.maxY {
            for x in box.x..<box.maxX {
                let e0 = edge(a, b, x, y), e1 = edge(b, c, x, y), e2 = edge(c, a, x, y)
                if (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0) {
                    setPixel(x: x, y: y, color)
                }
            }
        }
    }

    /// An arrow from `(x0, y0)` to `(x1, y1)` (for scan paths): a line and a filled head
    /// at the end, `headLength` pixels long with sides at ±`headAngle` radians (default 25°).
    public mutating func drawArrow(x0: Int, y0: Int, x1: Int, y1: Int, color: RGBColor, thickness: Int = 1,
                                   headLength: Int = 8, headAngle: Float = 0.436_332_3) {
        drawLine(x0: x0, y0: y0, x1: x1, y1: y1, color: color, thickness: thickness)
        let dx = Float(x1 - x0), dy = Float(y1 - y0)
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0, headLength > 0 else { return }
        let (ux, uy) = (dx / length, dy / length)
        let (c, s) = (Float(cos(Double(headAngle))), Float(sin(Double(headAngle))))
        let h = Float(headLength)
        // Rotate the backwards unit vector by ±headAngle.
        let left = (x: x1 + Int((h * (-ux * c + uy * s)).rounded()), y: y1 + Int((h * (-uy * c - ux * s)).rounded()))
        let right = (x: x1 + Int((h * (-ux * c - uy * s)).rounded()), y: y1 + Int((h * (-uy * c + ux * s)).rounded()))
        fillTriangle((x1, y1), left, right, color: color)
    }
}
