import Dispatch
import TensorCore

/// Blends a colour-mapped heat map over an image.
///
/// For each pixel with map value `v` (already in [0, 1], see ``HeatmapNormalization``) and
/// colour `c = colormap.color(for: v)`, the weight is `a = alpha` (``AlphaMode/constant``) or
/// `a = alpha · clamp(v, 0, 1)` (``AlphaMode/proportionalToValue``, so cold regions show the
/// image), and each channel is `out = round(image · (1 − a) + c · a)` computed in Float32 and
/// rounded half away from zero. `a == 0` leaves the pixel bit-identical, `a == 1` gives
/// exactly the colormap colour. NaN map values leave the pixel unchanged.
///
/// Shape: image `H × W`, map `[H, W]` (use ``Upsampling`` first) → image `H × W`.
public struct Blend: Sendable, Equatable {
    /// Where the per-pixel weight comes from.
    public enum AlphaMode: Sendable, Equatable {
        /// Every pixel uses `alpha`.
        case constant
        /// Pixel weight `alpha · v`: the heat map fades out where the value is low.
        case proportionalToValue
    }

    public var colormap: Colormap
    /// Opacity of the heat map, 0…1.
    public var alpha: Float
    public var alphaMode: AlphaMode

    public init(colormap: Colormap = .jet, alpha: Float = 0.5, alphaMode: AlphaMode = .constant) {
        precondition((0...1).contains(alpha), "alpha must be in 0…1, got \(alpha)")
        self.colormap = colormap
        self.alpha = alpha
        self.alphaMode = alphaMode
    }

    /// The image with `map` blended over it.
    public func callAsFunction(image: RGBCanvas, map: Tensor) -> RGBCanvas {
        precondition(map.shape == [image.height, image.width],
                     "heat map shape \(map.shape) does not match image \([image.height, image.width])")
        var out = image
        let kernel = RowKernel(self)
        map.storage.withUnsafeBufferPointer { values in
            image.pixels.withUnsafeBufferPointer { source in
                out.pixels.withUnsafeMutableBufferPointer { target in
                    kernel.blend(values: values.baseAddress!, source: source.baseAddress!, target: target.baseAddress!,
                                 count: image.width * image.height)
                }
            }
        }
        return out
    }

    /// `UInt8(x.rounded())` for x in 0…255 without the libm `roundf` call (the x86-64
    /// baseline has no rounding instruction): the fraction x − ⌊x⌋ is exact, so halves go up
    /// exactly as `roundf` sends them away from zero.
    @inline(__always)
    static func roundedByte(_ x: Float) -> UInt8 {
        let whole = UInt8(x)
        return x - Float(whole) >= 0.5 ? whole + 1 : whole
    }

    /// The per-pixel blend on raw rows, with the constant-alpha products in tables.
    struct RowKernel {
        let blend: Blend
        /// image · (1 − alpha) for each byte value.
        let imageTerms: [Float]
        /// colour · alpha for each table entry.
        let colourTerms: [Float]
        /// For constant alpha: the blended byte for table entry e, channel k and image byte b at
        /// `(3e + k)·256 + b` (192 KB, so the pixel loop is three lookups).
        let blended: [UInt8]

        init(_ blend: Blend) {
            self.blend = blend
            let imageTerms = (0..<256).map { Float($0) * (1 - blend.alpha) }
            let colourTerms = blend.colormap.lut.map { Float($0) * blend.alpha }
            self.imageTerms = imageTerms
            self.colourTerms = colourTerms
            if blend.alphaMode == .constant && blend.alpha > 0 && blend.alpha < 1 {
                var table = [UInt8](repeating: 0, count: colourTerms.count * 256)
                for entry in 0..<colourTerms.count {
                    for byte in 0..<256 { table[entry * 256 + byte] = Blend.roundedByte(imageTerms[byte] + colourTerms[entry]) }
                }
                blended = table
            } else {
                blended = []
            }
        }

        /// Blends `count` pixels: `values[i]` over the RGB bytes at `source + 3i` into `target + 3i`.
        func blend(values: UnsafePointer<Float>, source: UnsafePointer<UInt8>, target: UnsafeMutablePointer<UInt8>,
                   count: Int) {
            let (alpha, alphaMode, colormap) = (blend.alpha, blend.alphaMode, blend.colormap)
            if !blended.isEmpty {
                blended.withUnsafeBufferPointer { table in
                    let table = table.baseAddress!
                    var o = 0
                    // Colormap.index(for:) spelled out with wrapping arithmetic: no overflow or
                    // range checks in the loop (the index is 0...255, the offsets small).
                    for i in 0..<count {
                        defer { o &+= 3 }
                        let scaled = values[i] * Float(Colormap.size)
                        if scaled.isNaN { continue }
                        let index = scaled < 0 ? 0 : scaled >= Float(Colormap.size) ? Colormap.size - 1
                            : Int(truncatingIfNeeded: Int32(scaled))
                        let row = table + index &* 768
                        target[o] = row[Int(truncatingIfNeeded: source[o])]
                        target[o &+ 1] = row[256 &+ Int(truncatingIfNeeded: source[o &+ 1])]
                        target[o &+ 2] = row[512 &+ Int(truncatingIfNeeded: source[o &+ 2])]
                    }
                }
                return
            }
            imageTerms.withUnsafeBufferPointer { imageTerms in
                colourTerms.withUnsafeBufferPointer { colourTerms in
                    colormap.lut.withUnsafeBufferPointer { lut in
                        for i in 0..<count {
                            let v = values[i]
                            guard let index = colormap.index(for: v) else { continue }
                            let a: Float
                            switch alphaMode {
                            case .constant: a = alpha
                            case .proportionalToValue: a = alpha * min(max(v, 0), 1)
                            }
                            if a <= 0 { continue }
                            let o = 3 * i, c = 3 * index
                            if a >= 1 {
                                target[o] = lut[c]
                                target[o + 1] = lut[c + 1]
                                target[o + 2] = lut[c + 2]
                                continue
                            }
                            if alphaMode == .constant {
                                // The same two products as below, read from the tables.
                                for k in 0..<3 {
                                    target[o + k] = Blend.roundedByte(imageTerms[Int(source[o + k])] + colourTerms[c + k])
                                }
                                continue
                            }
                            let keep = 1 - a
                            for k in 0..<3 {
                                target[o + k] = Blend.roundedByte(Float(source[o + k]) * keep + Float(lut[c + k]) * a)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The whole pipeline for one grid: normalise, upsample to the image size, blend.
    ///
    /// Upsampling and blending run together one image row at a time, on parallel bands of
    /// rows, without the full-size Float map (48 MB for 12 megapixels); the result is the
    /// same as `self(image:map: upsampling.resize(normalized, …))`.
    ///
    /// Shape: image `H × W`, grid `[h, w]` → image `H × W`.
    public func overlay(image: RGBCanvas, grid: Tensor,
                        normalization: HeatmapNormalization = .minMax,
                        upsampling: Upsampling = .bilinear) -> RGBCanvas {
        precondition(grid.rank == 2, "a heat-map grid has shape [h, w], got \(grid.shape)")
        let (height, width) = (image.height, image.width)
        guard height > 0, width > 0 else { return image }
        // A fresh output (huge pages advised: 36 MB for 12 megapixels), every pixel written below.
        var out = RGBCanvas(width: width, height: height, pixels: HugePages.uninitializedBytes(3 * height * width))
        overlay(image: image, grid: grid, normalization: normalization, upsampling: upsampling, into: &out, x: 0, y: 0)
        return out
    }

    /// ``overlay(image:grid:normalization:upsampling:)`` drawn into `target` with the image's
    /// top-left corner at `(x, y)`: every pixel of that area is written, nothing else.
    ///
    /// Shape: image `H × W`, grid `[h, w]`, target at least `(x + W) × (y + H)`.
    public func overlay(image: RGBCanvas, grid: Tensor, normalization: HeatmapNormalization = .minMax,
                        upsampling: Upsampling = .bilinear, into target: inout RGBCanvas, x: Int, y: Int) {
        precondition(x >= 0 && y >= 0 && x + image.width <= target.width && y + image.height <= target.height,
                     "a \(image.width)×\(image.height) image at (\(x), \(y)) does not fit a \(target.width)×\(target.height) canvas")
        let prepared = self.prepared(image: image, grid: grid, normalization: normalization, upsampling: upsampling)
        let height = image.height
        guard height > 0, image.width > 0 else { return }
        let (targetWidth, origin) = (target.width, 3 * (y * target.width + x))
        target.pixels.withUnsafeMutableBufferPointer { target in
            nonisolated(unsafe) let target = target.baseAddress! + origin
            let bands = Swift.min(height, 16)
            // Bands write disjoint rows of `target`.
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let rows = (band * height / bands)..<((band + 1) * height / bands)
                prepared.draw(rows, into: target + 3 * rows.lowerBound * targetWidth, targetWidth: targetWidth)
            }
        }
    }

    /// The overlay of `grid` on `image` prepared once (normalised grid, blend tables,
    /// upsampling taps), to be drawn a few rows at a time.
    public func prepared(image: RGBCanvas, grid: Tensor, normalization: HeatmapNormalization = .minMax,
                         upsampling: Upsampling = .bilinear) -> PreparedOverlay {
        precondition(grid.rank == 2, "a heat-map grid has shape [h, w], got \(grid.shape)")
        let normalized = normalization.apply(grid)
        let rows = UpsamplingRows(upsampling, map: normalized, height: Swift.max(1, image.height),
                                  width: Swift.max(1, image.width))
        return PreparedOverlay(image: image, normalized: normalized, kernel: RowKernel(self), rows: rows)
    }

    /// ``overlay(image:grid:normalization:upsampling:)`` ready to draw any range of rows.
    ///
    /// Shape: image `H × W`; each call draws rows of the `H × W` result.
    public struct PreparedOverlay: Sendable {
        let image: RGBCanvas
        let normalized: Tensor
        let kernel: RowKernel
        let rows: UpsamplingRows

        /// Draws image rows `imageRows` into `target` with the first of them at canvas row
        /// `y` and the image's left edge at column `x` (every pixel of those rows' span).
        public func draw(_ imageRows: Range<Int>, into target: inout RGBCanvas, x: Int, y: Int) {
            precondition(imageRows.lowerBound >= 0 && imageRows.upperBound <= image.height,
                         "rows \(imageRows) outside an image of height \(image.height)")
            precondition(x >= 0 && y >= 0 && x + image.width <= target.width && y + imageRows.count <= target.height,
                         "rows \(imageRows) of a \(image.width)-wide image at (\(x), \(y)) do not fit a \(target.width)×\(target.height) canvas")
            guard !imageRows.isEmpty, image.width > 0 else { return }
            let targetWidth = target.width
            target.pixels.withUnsafeMutableBufferPointer { pixels in
                draw(imageRows, into: pixels.baseAddress! + 3 * (y * targetWidth + x), targetWidth: targetWidth)
            }
        }

        /// Rows `imageRows` into `target` (the first row's left edge), rows `targetWidth` pixels apart:
        /// each row copied from the image, then blended in place.
        func draw(_ imageRows: Range<Int>, into target: UnsafeMutablePointer<UInt8>, targetWidth: Int) {
            let width = image.width
            var values = [Float](repeating: 0, count: width)
            var scratch = UpsamplingRows.Scratch(width: width)
            normalized.storage.withUnsafeBufferPointer { map in
                image.pixels.withUnsafeBufferPointer { source in
                    values.withUnsafeMutableBufferPointer { row in
                        for (k, r) in imageRows.enumerated() {
                            let out = target + 3 * k * targetWidth, from = source.baseAddress! + 3 * r * width
                            out.update(from: from, count: 3 * width)
                            rows.fill(row.baseAddress!, y: r, map: map.baseAddress!, scratch: &scratch)
                            kernel.blend(values: row.baseAddress!, source: from, target: out, count: width)
                        }
                    }
                }
            }
        }
    }

    /// The colour-mapped map alone (alpha 1), as an image.
    ///
    /// Shape: map `[H, W]` → image `H × W`.
    public static func colorize(_ map: Tensor, colormap: Colormap) -> RGBCanvas {
        precondition(map.rank == 2, "a heat map has shape [H, W], got \(map.shape)")
        var out = RGBCanvas(width: map.shape[1], height: map.shape[0])
        for (i, v) in map.storage.enumerated() {
            let c = colormap.color(for: v)
            out.pixels[3 * i] = c.red
            out.pixels[3 * i + 1] = c.green
            out.pixels[3 * i + 2] = c.blue
        }
        return out
    }
}
