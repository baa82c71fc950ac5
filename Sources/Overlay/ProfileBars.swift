import TensorCore

/// Coordinate-attention profiles drawn as bars along the image's left and top edges.
///
/// Coordinate attention (Hou et al., CVPR 2021) produces one weight per row, `a_h`, and one
/// per column, `a_w`, of its feature grid. Each profile is normalised on its own
/// (``normalization``, default min–max) and each value becomes a bar whose length is
/// `round(clamp(v, 0, 1) · barLength)` pixels, coloured by `colormap.color(for: v)`:
/// row bars grow leftwards from the image's left edge, column bars upwards from its top
/// edge, with `gap` pixels between bars and image. Grid row `i` of `h` covers image rows
/// `⌊i·H/h⌋ ..< ⌊(i+1)·H/h⌋` (columns likewise), so the bars line up with the cells they
/// weight.
///
/// Shape: image `W × H`, `a_h` `[h]`, `a_w` `[w]` → `(W + barLength + gap) × (H + barLength + gap)`,
/// image at `(barLength + gap, barLength + gap)`.
public struct ProfileBars: Sendable, Equatable {
    public var barLength: Int
    public var gap: Int
    public var colormap: Colormap
    public var normalization: HeatmapNormalization
    public var background: RGBColor

    public init(barLength: Int = 24, gap: Int = 2, colormap: Colormap = .viridis,
                normalization: HeatmapNormalization = .minMax, background: RGBColor = .white) {
        precondition(barLength >= 1 && gap >= 0, "need barLength ≥ 1 and gap ≥ 0, got \(barLength), \(gap)")
        self.barLength = barLength
        self.gap = gap
        self.colormap = colormap
        self.normalization = normalization
        self.background = background
    }

    /// The image with `rowProfile` (a_h) bars on the left and `columnProfile` (a_w) on top.
    public func render(image: RGBCanvas, rowProfile: [Float], columnProfile: [Float]) -> RGBCanvas {
        render(imageWidth: image.width, imageHeight: image.height, rowProfile: rowProfile,
               columnProfile: columnProfile) { canvas, area in
            canvas.paste(image, x: area.x, y: area.y)
        }
    }

    /// The same picture with the image drawn in place by `drawImage`, which gets the output
    /// canvas and the image's area in it (at `(barLength + gap, barLength + gap)`) and must
    /// set every pixel of that area (its contents are undefined before). The background is
    /// only written outside the area, so a large image is written once, not filled, then
    /// pasted into a second canvas.
    public func render(imageWidth: Int, imageHeight: Int, rowProfile: [Float], columnProfile: [Float],
                       drawImage: (inout RGBCanvas, PixelRect) -> Void) -> RGBCanvas {
        let offset = barLength + gap
        let (width, height) = (imageWidth + offset, imageHeight + offset)
        var out = RGBCanvas(width: width, height: height, pixels: HugePages.uninitializedBytes(3 * width * height))
        draw(rows: 0..<height, on: &out, imageWidth: imageWidth, imageHeight: imageHeight, rowProfile: rowProfile,
             columnProfile: columnProfile, drawImage: drawImage)
        return out
    }

    /// Rows `rows` of the picture of ``render(imageWidth:imageHeight:rowProfile:columnProfile:drawImage:)``,
    /// drawn on `band` (its row 0 is picture row `rows.lowerBound`; its size must be the
    /// picture's width by `rows.count`). `drawImage` gets the image's area in band
    /// coordinates (it may reach beyond the band) and must set every pixel of the area
    /// that lies in the band.
    public func draw(rows: Range<Int>, on band: inout RGBCanvas, imageWidth: Int, imageHeight: Int,
                     rowProfile: [Float], columnProfile: [Float], drawImage: (inout RGBCanvas, PixelRect) -> Void) {
        precondition(!rowProfile.isEmpty && !columnProfile.isEmpty, "profiles must not be empty")
        let offset = barLength + gap
        precondition(band.width == imageWidth + offset && band.height == rows.count,
                     "a band of rows \(rows) is \(imageWidth + offset)×\(rows.count), got \(band.width)×\(band.height)")
        let top = -rows.lowerBound   // picture row 0 in band coordinates
        band.fillRectangle(PixelRect(x: 0, y: top, width: band.width, height: offset), color: background)
        // The image first: `drawImage` may touch fresh pages on several threads (the kernel
        // clears each on first touch), where the narrow left strip would touch them all on one.
        drawImage(&band, PixelRect(x: offset, y: top + offset, width: imageWidth, height: imageHeight))
        band.fillRectangle(PixelRect(x: 0, y: top + offset, width: offset, height: imageHeight), color: background)
        let rowValues = normalize(rowProfile), columnValues = normalize(columnProfile)
        for (i, v) in rowValues.enumerated() {
            let cells = Self.band(i, count: rowValues.count, size: imageHeight)
            let length = self.length(v)
            band.fillRectangle(PixelRect(x: barLength - length, y: top + offset + cells.lowerBound,
                                         width: length, height: cells.count), color: colormap.color(for: v))
        }
        for (j, v) in columnValues.enumerated() {
            let cells = Self.band(j, count: columnValues.count, size: imageWidth)
            let length = self.length(v)
            band.fillRectangle(PixelRect(x: offset + cells.lowerBound, y: top + barLength - length,
                                         width: cells.count, height: length), color: colormap.color(for: v))
        }
    }

    /// Image rows (or columns) covered by grid cell `index` of `count` over `size` pixels.
    public static func band(_ index: Int, count: Int, size: Int) -> Range<Int> {
        (index * size / count)..<((index + 1) * size / count)
    }

    func length(_ v: Float) -> Int {
        v.isNaN ? 0 : Int((min(max(v, 0), 1) * Float(barLength)).rounded())
    }

    func normalize(_ profile: [Float]) -> [Float] {
        normalization.apply(.init(shape: [profile.count], storage: profile)).storage
    }
}
