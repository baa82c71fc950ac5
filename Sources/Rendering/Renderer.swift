import Attention
import Overlay
import TensorCore

/// The drawing steps the modes share (heat maps, profile bars, per-head grids, the query
/// mark) for one scene; each mode's own drawing is in `Modes/`.
public struct Renderer: Sendable {
    public let scene: AttentionScene

    public init(scene: AttentionScene) { self.scene = scene }

    var settings: RenderSettings { scene.settings }
    var blend: Blend { Blend(colormap: settings.colormap, alpha: settings.alpha) }

    /// The whole picture of `mode` (its maps computed, then drawn).
    public func render(_ mode: RenderMode) throws -> RGBCanvas {
        try mode.prepare(self).draw()
    }

    /// Heat map of a [rows, columns] grid over the canvas, with an optional colour bar.
    func heat(_ grid: Tensor, on canvas: RGBCanvas? = nil) -> RGBCanvas {
        var out = blend.overlay(image: canvas ?? scene.image.canvas, grid: grid,
                                normalization: settings.normalization, upsampling: settings.upsampling)
        if settings.colorBar {
            let range = settings.normalization.range(of: grid.storage) ?? (0, 1)
            out = ColorBar(colormap: settings.colormap, low: range.low, high: range.high).appended(to: out)
        }
        return out
    }

    /// Marks the query cell with a cross-hair.
    func markQuery(_ canvas: inout RGBCanvas) {
        markQuery(&canvas, in: canvas.bounds)
    }

    /// Marks the query cell on an image drawn at `area` of `canvas`, clipped to that area.
    func markQuery(_ canvas: inout RGBCanvas, in area: PixelRect) {
        let cell = scene.query   // computed: read once
        let (x, y) = scene.image.canvasCenter(row: cell.row, column: cell.column)
        let r = Swift.max(6, Swift.min(area.width, area.height) / 40)
        let t = Swift.max(1, r / 5)
        canvas.drawCrosshair(x: area.x + x, y: area.y + y, radius: r + t, gap: 0, color: .black, thickness: t + 2, clip: area)
        canvas.drawCrosshair(x: area.x + x, y: area.y + y, radius: r, gap: 0, color: .white, thickness: t, clip: area)
    }

    /// The output of `mode` as a ``RowSource`` where it can be drawn band by band (axial
    /// without per-head grids, coordinate; no colour bar), else nil. Same pixels as
    /// ``render(_:)``.
    public func rowSource(_ mode: RenderMode) throws -> RowSource? {
        try mode.prepare(self).rowSource()
    }

    /// ``heatWithBars(_:marksQuery:rowProfile:columnProfile:)`` as a row source.
    func barsSource(_ grid: Tensor, marksQuery: Bool, rowProfile: [Float], columnProfile: [Float]) -> RowSource {
        let bars = ProfileBars(colormap: settings.colormap)
        let image = scene.image.canvas
        let overlay = blend.prepared(image: image, grid: grid, normalization: settings.normalization,
                                     upsampling: settings.upsampling)
        let offset = bars.barLength + bars.gap
        let renderer = self
        return RowSource(width: image.width + offset, height: image.height + offset) { rows, band in
            bars.draw(rows: rows, on: &band, imageWidth: image.width, imageHeight: image.height,
                      rowProfile: rowProfile, columnProfile: columnProfile) { canvas, area in
                // The image rows inside the band.
                let first = Swift.max(0, -area.y), end = Swift.min(area.height, canvas.height - area.y)
                if first < end { overlay.draw(first..<end, into: &canvas, x: area.x, y: area.y + first) }
                if marksQuery { renderer.markQuery(&canvas, in: area) }
            }
        }
    }

    /// `heat(grid)`, the query mark if asked, then profile bars around it, drawn into the one
    /// output canvas: the same pixels as the three steps in turn, without the two full-size
    /// intermediate canvases (36 MB each, filled and copied, for 12 megapixels).
    func heatWithBars(_ grid: Tensor, marksQuery: Bool, rowProfile: [Float], columnProfile: [Float]) -> RGBCanvas {
        let bars = ProfileBars(colormap: settings.colormap)
        if settings.colorBar {
            var canvas = heat(grid)
            if marksQuery { markQuery(&canvas) }
            return bars.render(image: canvas, rowProfile: rowProfile, columnProfile: columnProfile)
        }
        let image = scene.image.canvas
        return bars.render(imageWidth: image.width, imageHeight: image.height, rowProfile: rowProfile,
                           columnProfile: columnProfile) { canvas, area in
            blend.overlay(image: image, grid: grid, normalization: settings.normalization,
                          upsampling: settings.upsampling, into: &canvas, x: area.x, y: area.y)
            if marksQuery { markQuery(&canvas, in: area) }
        }
    }

    /// One overlay per head (each normalised on its own), four to a row; with `--colorbar`
    /// each panel gets the colour bar of its own range. Shape: maps [heads, rows, columns].
    func perHead(_ maps: Tensor, labels: [String]) -> RGBCanvas {
        let grid = HeadGrid(blend: blend, normalization: settings.normalization, upsampling: settings.upsampling,
                            mosaic: Mosaic(columns: Swift.min(4, maps.shape[0]), gap: 6, labelScale: 2))
        var image = scene.image.canvas
        markQuery(&image)
        var panels = grid.panels(image: image, maps: maps, labels: labels)
        if settings.colorBar {
            let cells = maps.shape[1] * maps.shape[2]
            for head in panels.indices {
                let values = Array(maps.storage[(head * cells)..<((head + 1) * cells)])   // [heads, h, w] -> head's [h, w]
                let range = settings.normalization.range(of: values) ?? (0, 1)
                panels[head].canvas = ColorBar(colormap: settings.colormap, low: range.low, high: range.high)
                    .appended(to: panels[head].canvas)
            }
        }
        return grid.mosaic.render(panels)
    }

    /// Mean over the first axis. Shape: [k, h, w] -> [h, w].
    static func meanOfHeads(_ maps: Tensor) -> Tensor {
        maps.mean(axis: 0)
    }

    /// `top` above `bottom`, left-aligned on white, each keeping its own size.
    static func stack(_ top: RGBCanvas, _ bottom: RGBCanvas) -> RGBCanvas {
        var stacked = RGBCanvas(width: Swift.max(top.width, bottom.width), height: top.height + bottom.height, fill: .white)
        stacked.paste(top, x: 0, y: 0)
        stacked.paste(bottom, x: 0, y: top.height)
        return stacked
    }
}
