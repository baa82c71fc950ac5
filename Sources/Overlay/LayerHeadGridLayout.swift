/// Where the panels of a layer-by-head grid go: one row per block (layer), one column per
/// head, block labels on the left and head labels on top, sized to stay within a bound.
///
/// Panels start at the requested size (the image's, or an enlarged size for tiny inputs)
/// and shrink together, keeping their aspect ratio (height rounded to the nearest pixel),
/// until the whole grid fits `maxLongSide` on its longer side and `maxPixels` in area;
/// the panel width is the largest that fits (found by bisection: the grid grows with it).
/// Labels keep their size. `gap` pixels separate everything and surround the grid.
///
/// Shape: L layers × H heads, panel `w × h`, gap g, left band `a` (widest row label, 0
/// without labels), top band `b` (glyph height, 0 without labels) →
/// `(left + H·(w + g)) × (top + L·(h + g))` with `left = g + (a > 0 ? a + g : 0)`,
/// `top = g + (b > 0 ? b + g : 0)`; panel (l, k) at `(left + k·(w + g), top + l·(h + g))`.
public struct LayerHeadGridLayout: Sendable, Equatable {
    public let layers: Int
    public let heads: Int
    public let panelWidth: Int
    public let panelHeight: Int
    public let gap: Int
    public let labelScale: Int
    /// Width of the left band holding the row labels (0 without them).
    public let rowLabelWidth: Int
    /// Height of the top band holding the column labels (0 without them).
    public let columnLabelHeight: Int
    /// Size of the whole grid.
    public let width: Int
    public let height: Int

    /// The largest grid of panels of at most `panelWidth × panelHeight` within the bounds,
    /// or nil when even 1-pixel panels do not fit (thousands of layers or heads).
    public init?(layers: Int, heads: Int, panelWidth: Int, panelHeight: Int,
                 rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                 gap: Int = 4, labelScale: Int = 1, maxLongSide: Int = 4096, maxPixels: Int = 16_000_000) {
        precondition(layers >= 1 && heads >= 1 && panelWidth >= 1 && panelHeight >= 1 && gap >= 0 && labelScale >= 1,
                     "a layer-by-head grid needs layers, heads, panel size and label scale ≥ 1 and gap ≥ 0, got \(layers), \(heads), \(panelWidth)×\(panelHeight), \(labelScale), \(gap)")
        precondition(rowLabels.map { $0.count == layers } ?? true && columnLabels.map { $0.count == heads } ?? true,
                     "\(layers) layers and \(heads) heads, but \(rowLabels?.count ?? 0) row and \(columnLabels?.count ?? 0) column labels")
        let rowLabelWidth = (rowLabels ?? []).map { BitmapFont.size(of: $0, scale: labelScale).width }.max() ?? 0
        let columnLabelHeight = columnLabels == nil ? 0 : BitmapFont.glyphHeight * labelScale
        let left = gap + (rowLabelWidth > 0 ? rowLabelWidth + gap : 0)
        let top = gap + (columnLabelHeight > 0 ? columnLabelHeight + gap : 0)
        let heightFor = { (w: Int) in max(1, (w * panelHeight + panelWidth / 2) / panelWidth) }
        let size = { (w: Int) in (left + heads * (w + gap), top + layers * (heightFor(w) + gap)) }
        let fits = { (w: Int) -> Bool in
            let (gridWidth, gridHeight) = size(w)
            return max(gridWidth, gridHeight) <= maxLongSide && gridWidth * gridHeight <= maxPixels
        }
        guard fits(1) else { return nil }
        // Largest w in 1...panelWidth that fits: fits(low) holds, fits(high + 1) fails or is past the end.
        var (low, high) = (1, panelWidth)
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(middle) { low = middle } else { high = middle - 1 }
        }
        self.layers = layers
        self.heads = heads
        self.panelWidth = low
        self.panelHeight = low == panelWidth ? panelHeight : heightFor(low)
        self.gap = gap
        self.labelScale = labelScale
        self.rowLabelWidth = rowLabelWidth
        self.columnLabelHeight = columnLabelHeight
        (self.width, self.height) = (left + heads * (low + gap), top + layers * (self.panelHeight + gap))
    }

    private var left: Int { gap + (rowLabelWidth > 0 ? rowLabelWidth + gap : 0) }
    private var top: Int { gap + (columnLabelHeight > 0 ? columnLabelHeight + gap : 0) }

    /// The panel of layer `layer` (row) and head `head` (column).
    public func panel(layer: Int, head: Int) -> PixelRect {
        precondition((0..<layers).contains(layer) && (0..<heads).contains(head),
                     "panel (\(layer), \(head)) outside \(layers)×\(heads)")
        return PixelRect(x: left + head * (panelWidth + gap), y: top + layer * (panelHeight + gap),
                         width: panelWidth, height: panelHeight)
    }

    /// The box of row label `layer`: the left band, vertically centred on the panel row.
    public func rowLabel(layer: Int) -> PixelRect {
        let row = panel(layer: layer, head: 0)
        let glyph = BitmapFont.glyphHeight * labelScale
        return PixelRect(x: gap, y: row.y + (row.height - glyph) / 2, width: rowLabelWidth, height: glyph)
    }

    /// The box of column label `head`: the top band above the panel column.
    public func columnLabel(head: Int) -> PixelRect {
        let column = panel(layer: 0, head: head)
        return PixelRect(x: column.x, y: gap, width: column.width, height: columnLabelHeight)
    }
}
