import Foundation

/// A vertical colour bar with its value range, appended to the right of a canvas.
///
/// Layout (left to right): the canvas, `margin`, the bar (`barWidth` wide), `margin`, the
/// labels, `margin`. The bar runs from row `margin` to row `height − margin` (exclusive);
/// its row `r` of `n` shows `colormap.color(for: 1 − (r + 0.5) / n)`, so the top is the
/// high end. The `high` label is drawn level with the bar's top, the `low` label level with
/// its bottom, formatted as ``label(_:)``. The new area is filled with `background`; the
/// output is tall enough for both labels even when the canvas is not.
///
/// Shape: `W × H` → `(W + 3·margin + barWidth + labelWidth) × max(H, minimumHeight)`.
public struct ColorBar: Sendable, Equatable {
    public var colormap: Colormap
    /// Value shown at the bottom of the bar.
    public var low: Float
    /// Value shown at the top of the bar.
    public var high: Float
    public var barWidth: Int
    public var margin: Int
    public var labelScale: Int
    public var background: RGBColor
    public var textColor: RGBColor

    public init(colormap: Colormap, low: Float = 0, high: Float = 1, barWidth: Int = 12, margin: Int = 6,
                labelScale: Int = 1, background: RGBColor = .white, textColor: RGBColor = .black) {
        precondition(barWidth >= 1 && margin >= 0 && labelScale >= 1,
                     "need barWidth ≥ 1, margin ≥ 0, labelScale ≥ 1, got \(barWidth), \(margin), \(labelScale)")
        self.colormap = colormap
        self.low = low
        self.high = high
        self.barWidth = barWidth
        self.margin = margin
        self.labelScale = labelScale
        self.background = background
        self.textColor = textColor
    }

    /// A value as printed on the bar: C's `%.3g` (e.g. `0.5`, `0.000123`, `1.23e+04`).
    public static func label(_ value: Float) -> String {
        String(format: "%.3g", Double(value))
    }

    /// Where the bar itself lands on a canvas of `canvasWidth × canvasHeight`.
    public func barFrame(canvasWidth: Int, canvasHeight: Int) -> PixelRect {
        let height = max(canvasHeight, minimumHeight)
        return PixelRect(x: canvasWidth + margin, y: margin, width: barWidth, height: max(1, height - 2 * margin))
    }

    /// `canvas` with the bar and its labels on the right.
    public func appended(to canvas: RGBCanvas) -> RGBCanvas {
        let highText = Self.label(high), lowText = Self.label(low)
        let labelWidth = max(BitmapFont.size(of: highText, scale: labelScale).width,
                             BitmapFont.size(of: lowText, scale: labelScale).width)
        let height = max(canvas.height, minimumHeight)
        var out = RGBCanvas(width: canvas.width + 3 * margin + barWidth + labelWidth, height: height, fill: background)
        out.paste(canvas, x: 0, y: 0)
        let bar = barFrame(canvasWidth: canvas.width, canvasHeight: canvas.height)
        for r in 0..<bar.height {
            let t = 1 - (Float(r) + 0.5) / Float(bar.height)
            out.fillRectangle(PixelRect(x: bar.x, y: bar.y + r, width: bar.width, height: 1),
                              color: colormap.color(for: t))
        }
        let textX = bar.maxX + margin
        let textHeight = BitmapFont.glyphHeight * labelScale
        out.drawText(highText, x: textX, y: bar.y, color: textColor, scale: labelScale)
        out.drawText(lowText, x: textX, y: bar.maxY - textHeight, color: textColor, scale: labelScale)
        return out
    }

    /// The least output height that keeps the two labels apart.
    var minimumHeight: Int { 2 * margin + 2 * BitmapFont.lineHeight * labelScale }
}
