/// Tiles canvases into a grid, each with an optional label above it.
///
/// Every cell is as wide as the widest panel and as tall as the tallest panel plus a label
/// band (`(lineHeight + 1) · labelScale` rows, present when any panel has a label). Panels
/// are placed at their cell's top-left below the label band, left to right then top to
/// bottom; `gap` pixels of `background` separate cells and surround the grid. Labels use
/// the embedded ``BitmapFont`` and are cut to the characters that fit the cell width.
///
/// Shape: n panels → `(gap + columns·(cellWidth + gap)) × (gap + rows·(cellHeight + gap))`,
/// `rows = ⌈n / columns⌉`.
public struct Mosaic: Sendable, Equatable {
    /// One tile: an image and its caption.
    public struct Panel: Sendable, Equatable {
        public var canvas: RGBCanvas
        public var label: String?

        public init(_ canvas: RGBCanvas, label: String? = nil) {
            self.canvas = canvas
            self.label = label
        }
    }

    /// Panels per row; `nil` picks `⌈√n⌉`.
    public var columns: Int?
    public var gap: Int
    public var background: RGBColor
    public var labelColor: RGBColor
    public var labelScale: Int

    public init(columns: Int? = nil, gap: Int = 4, background: RGBColor = .white,
                labelColor: RGBColor = .black, labelScale: Int = 1) {
        precondition(columns.map { $0 >= 1 } ?? true, "columns must be ≥ 1, got \(columns!)")
        precondition(gap >= 0 && labelScale >= 1, "need gap ≥ 0 and labelScale ≥ 1, got \(gap), \(labelScale)")
        self.columns = columns
        self.gap = gap
        self.background = background
        self.labelColor = labelColor
        self.labelScale = labelScale
    }

    /// Where each panel's image and label land, and the output size.
    public func layout(_ panels: [Panel]) -> (width: Int, height: Int, images: [PixelRect], labels: [PixelRect?]) {
        precondition(!panels.isEmpty, "a mosaic needs at least one panel")
        let n = panels.count
        let columnCount = min(columns ?? Self.squareColumns(n), n)
        let rowCount = (n + columnCount - 1) / columnCount
        let cellWidth = panels.map(\.canvas.width).max()!
        let panelHeight = panels.map(\.canvas.height).max()!
        let band = panels.contains { $0.label != nil } ? (BitmapFont.lineHeight + 1) * labelScale : 0
        let cellHeight = band + panelHeight
        var images: [PixelRect] = [], labels: [PixelRect?] = []
        for (i, panel) in panels.enumerated() {
            let x = gap + (i % columnCount) * (cellWidth + gap)
            let y = gap + (i / columnCount) * (cellHeight + gap)
            images.append(PixelRect(x: x, y: y + band, width: panel.canvas.width, height: panel.canvas.height))
            labels.append(panel.label == nil ? nil
                          : PixelRect(x: x, y: y, width: cellWidth, height: BitmapFont.glyphHeight * labelScale))
        }
        return (gap + columnCount * (cellWidth + gap), gap + rowCount * (cellHeight + gap), images, labels)
    }

    /// The tiled image.
    public func render(_ panels: [Panel]) -> RGBCanvas {
        let plan = layout(panels)
        var out = RGBCanvas(width: plan.width, height: plan.height, fill: background)
        for (i, panel) in panels.enumerated() {
            out.paste(panel.canvas, x: plan.images[i].x, y: plan.images[i].y)
            if let label = panel.label, let box = plan.labels[i] {
                let fitting = max(0, box.width / (BitmapFont.advance * labelScale))
                out.drawText(String(label.prefix(fitting)), x: box.x, y: box.y, color: labelColor, scale: labelScale)
            }
        }
        return out
    }

    /// `⌈√n⌉`, the column count of the squarest grid.
    static func squareColumns(_ n: Int) -> Int {
        var c = 1
        while c * c < n { c += 1 }
        return c
    }
}
