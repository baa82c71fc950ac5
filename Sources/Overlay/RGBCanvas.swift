/// An 8-bit RGB raster that the overlay code draws on.
///
/// Pixels are interleaved `R, G, B`, row-major, origin at the top-left corner. Pixel
/// `(x, y)` covers the square `[x, x+1) × [y, y+1)`, so its centre is `(x + 0.5, y + 0.5)`;
/// every resampling routine in this module uses that convention.
///
/// Shape: `pixels.count == height · width · 3`; `(x, y)` lives at `(y · width + x) · 3`.
public struct RGBCanvas: Sendable, Equatable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Interleaved RGB bytes, row-major.
    public var pixels: [UInt8]

    /// A canvas filled with one colour.
    public init(width: Int, height: Int, fill: RGBColor = .black) {
        precondition(width >= 0 && height >= 0, "canvas size must be non-negative, got \(width)×\(height)")
        self.width = width
        self.height = height
        var bytes = [UInt8](repeating: fill.red, count: width * height * 3)
        if fill.green != fill.red || fill.blue != fill.red {
            for i in 0..<(width * height) {
                bytes[3 * i] = fill.red
                bytes[3 * i + 1] = fill.green
                bytes[3 * i + 2] = fill.blue
            }
        }
        self.pixels = bytes
    }

    /// A canvas over existing interleaved RGB bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "canvas size must be non-negative, got \(width)×\(height)")
        precondition(pixels.count == width * height * 3,
                     "a \(width)×\(height) RGB canvas needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Whether `(x, y)` is a pixel of the canvas.
    @inlinable
    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// The colour at `(x, y)`; the point must lie inside the canvas.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            precondition(contains(x: x, y: y), "pixel (\(x), \(y)) outside \(width)×\(height) canvas")
            let o = (y * width + x) * 3
            return RGBColor(red: pixels[o], green: pixels[o + 1], blue: pixels[o + 2])
        }
        set {
            precondition(contains(x: x, y: y), "pixel (\(x), \(y)) outside \(width)×\(height) canvas")
            let o = (y * width + x) * 3
            pixels[o] = newValue.red
            pixels[o + 1] = newValue.green
            pixels[o + 2] = newValue.blue
        }
    }

    /// The colour at `(x, y)`.
    public func pixel(x: Int, y: Int) -> RGBColor { self[x, y] }

    /// Sets `(x, y)` to `color`; points outside the canvas are ignored (clipping).
    public mutating func setPixel(x: Int, y: Int, _ color: RGBColor) {
        guard contains(x: x, y: y) else { return }
        let o = (y * width + x) * 3
        pixels[o] = color.red
        pixels[o + 1] = color.green
        pixels[o + 2] = color.blue
    }

    /// Mixes `color` into `(x, y)` with coverage `alpha` ∈ [0, 1]:
    /// `out = round(old · (1 − alpha) + color · alpha)`. Points outside are ignored.
    public mutating func blendPixel(x: Int, y: Int, _ color: RGBColor, alpha: Float) {
        guard contains(x: x, y: y), alpha > 0 else { return }
        if alpha >= 1 { setPixel(x: x, y: y, color); return }
        let o = (y * width + x) * 3
        let keep = 1 - alpha
        pixels[o] = UInt8((Float(pixels[o]) * keep + Float(color.red) * alpha).rounded())
        pixels[o + 1] = UInt8((Float(pixels[o + 1]) * keep + Float(color.green) * alpha).rounded())
        pixels[o + 2] = UInt8((Float(pixels[o + 2]) * keep + Float(color.blue) * alpha).rounded())
    }

    /// Copies `other` with its top-left corner at `(x, y)`, clipped to this canvas.
    public mutating func paste(_ other: RGBCanvas, x: Int, y: Int) {
        let x0 = max(0, x), x1 = min(width, x + other.width)
        guard x0 < x1 else { return }
        for row in max(0, y)..<max(max(0, y), min(height, y + other.height)) {
            let src = ((row - y) * other.width + (x0 - x)) * 3
            let dst = (row * width + x0) * 3
            let n = (x1 - x0) * 3
            pixels.withUnsafeMutableBufferPointer { d in
                other.pixels.withUnsafeBufferPointer { s in
                    (d.baseAddress! + dst).update(from: s.baseAddress! + src, count: n)
                }
            }
        }
    }
}
