import Attention
import Overlay
import TensorCore

/// Draws each mode of Contract 4 for one scene.
public struct Renderer: Sendable {
    public let scene: AttentionScene

    public init(scene: AttentionScene) { self.scene = scene }

    var settings: RenderSettings { scene.settings }
    var blend: Blend { Blend(colormap: settings.colormap, alpha: settings.alpha) }

    public func render(_ mode: RenderMode) throws -> RGBCanvas {
        switch mode {
        case .axial: return try axial()
        case .self: return try selfAttention()
        case .coord: return try coordinate()
        case .glimpse: return try glimpse()
        case .patch: return patch()
        case .all:
            // Two rows, each sized to its own panels: the three heat maps, then glimpse and patch.
            let panels = try RenderMode.panels.map { Mosaic.Panel(try render($0), label: $0.rawValue) }
            let labelScale = Swift.max(2, scene.image.canvas.width / 300)
            let top = Mosaic(columns: 3, gap: 8, labelScale: labelScale).render(Array(panels[0..<3]))
            let bottom = Mosaic(columns: 2, gap: 8, labelScale: labelScale).render(Array(panels[3...]))
            return Self.stack(top, bottom)
        }
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
        let (x, y) = scene.image.canvasCenter(row: scene.query.row, column: scene.query.column)
        let r = Swift.max(6, Swift.min(area.width, area.height) / 40)
        let t = Swift.max(1, r / 5)
        canvas.drawCrosshair(x: area.x + x, y: area.y + y, radius: r + t, gap: 0, color: .black, thickness: t + 2, clip: area)
        canvas.drawCrosshair(x: area.x + x, y: area.y + y, radius: r, gap: 0, color: .white, thickness: t, clip: area)
    }

    /// The output of `mode` as a ``RowSource`` where it can be drawn band by band (axial
    /// without per-head grids, coordinate; no colour bar), else nil. Same pixels as
    /// ``render(_:)``.
    public func rowSource(_ mode: RenderMode) throws -> RowSource? {
        guard !settings.colorBar else { return nil }
        switch mode {
        case .axial where !settings.heads:
            let maps = try scene.axialMaps()
            return barsSource(Self.meanOfHeads(maps.effective), marksQuery: true, rowProfile: maps.columnWeights,
                              columnProfile: maps.rowWeights)
        case .coord:
            let maps = try scene.coordinateMaps()
            return barsSource(maps.gate, marksQuery: false, rowProfile: maps.heightProfile, columnProfile: maps.widthProfile)
        default:
            return nil
        }
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

    func perHead(_ maps: Tensor, labels: [String]) -> RGBCanvas {
        var grid = HeadGrid(blend: blend, normalization: settings.normalization, upsampling: settings.upsampling,
                            mosaic: Mosaic(columns: Swift.min(4, maps.shape[0]), gap: 6, labelScale: 2))
        grid.mosaic = Mosaic(columns: Swift.min(4, maps.shape[0]), gap: 6, labelScale: 2)
        var image = scene.image.canvas
        markQuery(&image)
        return grid.render(image: image, maps: maps, labels: labels)
    }

    /// Mean over the first axis. Shape: [k, h, w] -> [h, w].
    static func meanOfHeads(_ maps: Tensor) -> Tensor {
        maps.mean(axis: 0)
    }

    func axial() throws -> RGBCanvas {
        let maps = try scene.axialMaps()
        if settings.heads {
            return perHead(maps.effective, labels: scene.headLabels(maps.effective.shape[0], userModule: scene.weights != nil))
        }
        // Row weights along the top, column weights along the left edge.
        return heatWithBars(Self.meanOfHeads(maps.effective), marksQuery: true, rowProfile: maps.columnWeights,
                            columnProfile: maps.rowWeights)
    }

    func selfAttention() throws -> RGBCanvas {
        let maps = try scene.selfAttentionMaps()
        if settings.heads {
            return perHead(maps, labels: scene.headLabels(maps.shape[0], userModule: scene.weights != nil))
        }
        var canvas = heat(Self.meanOfHeads(maps))
        markQuery(&canvas)
        return canvas
    }

    func coordinate() throws -> RGBCanvas {
        let maps = try scene.coordinateMaps()
        return heatWithBars(maps.gate, marksQuery: false, rowProfile: maps.heightProfile,
                            columnProfile: maps.widthProfile)
    }

    static let glimpseColors: [RGBColor] = [.yellow, .cyan, .magenta, .green, .red, .white, .blue]

    func glimpse() throws -> RGBCanvas {
        let g = try scene.glimpses()
        var canvas = scene.image.canvas
        let (h, w) = (scene.image.working.shape[2], scene.image.working.shape[3])
        let sx = Double(canvas.width) / Double(w), sy = Double(canvas.height) / Double(h)
        let thickness = Swift.max(1, canvas.width / 300)
        var centres: [(Int, Int)] = []
        for (i, l) in g.locations.enumerated() {
            let colour = Self.glimpseColors[i % Self.glimpseColors.count]
            for box in g.boxes where box.batch == i {
                let rect = PixelRect(x: Int((Double(box.x) * sx).rounded()), y: Int((Double(box.y) * sy).rounded()),
                                     width: Int((Double(box.size) * sx).rounded()), height: Int((Double(box.size) * sy).rounded()))
                canvas.drawRectangle(rect, color: colour, thickness: thickness)
            }
            let cx = Int(((l.x + 1) / 2 * Double(w)) * sx), cy = Int(((l.y + 1) / 2 * Double(h)) * sy)
            centres.append((cx, cy))
        }
        for i in 1..<Swift.max(1, centres.count) {
            canvas.drawArrow(x0: centres[i - 1].0, y0: centres[i - 1].1, x1: centres[i].0, y1: centres[i].1,
                             color: .white, thickness: thickness, headLength: 6 * thickness + 4)
        }
        let textScale = Swift.max(1, canvas.width / 250)
        for (i, c) in centres.enumerated() {
            canvas.drawText("\(i + 1)", x: c.0 + 3, y: c.1 + 3, color: .black, scale: textScale, background: .white)
        }
        let labelled = Mosaic(columns: 1, gap: 6, labelScale: 2)
            .render([Mosaic.Panel(strip(g, width: canvas.width), label: "what the sensor sees")])
        return Self.stack(Mosaic(columns: 1, gap: 6).render([Mosaic.Panel(canvas)]), labelled)
    }

    /// `top` above `bottom`, left-aligned on white, each keeping its own size.
    static func stack(_ top: RGBCanvas, _ bottom: RGBCanvas) -> RGBCanvas {
        var stacked = RGBCanvas(width: Swift.max(top.width, bottom.width), height: top.height + bottom.height, fill: .white)
        stacked.paste(top, x: 0, y: 0)
        stacked.paste(bottom, x: 0, y: top.height)
        return stacked
    }

    /// The glimpse patches, one column per glimpse, k scales stacked, upscaled to fit `width`.
    func strip(_ g: AttentionScene.Glimpses, width: Int) -> RGBCanvas {
        let (count, channels, side) = (g.patches.shape[0], g.patches.shape[1], g.patches.shape[2])
        let k = channels / 3
        var panels: [Mosaic.Panel] = []
        for i in 0..<count {
            var column: [Mosaic.Panel] = []
            for s in 0..<k {
                var patch = RGBCanvas(width: side, height: side)
                for y in 0..<side {
                    for x in 0..<side {
                        var rgb = [UInt8](repeating: 0, count: 3)
                        for c in 0..<3 {
                            let v = g.patches[i, s * 3 + c, y, x]
                            rgb[c] = UInt8(Swift.max(0, Swift.min(255, (v * 255).rounded())))
                        }
                        patch[x, y] = RGBColor(red: rgb[0], green: rgb[1], blue: rgb[2])
                    }
                }
                column.append(Mosaic.Panel(patch.resized(width: side * 2, height: side * 2, method: .nearest)))
            }
            panels.append(Mosaic.Panel(Mosaic(columns: 1, gap: 2).render(column), label: "\(i + 1)"))
        }
        let strip = Mosaic(columns: count, gap: 4, labelScale: 1).render(panels)
        return strip.width > width ? strip.fitted(maxWidth: width, maxHeight: strip.height) : strip
    }

    func patch() -> RGBCanvas {
        var grid = scene.image.canvas
        let (rows, columns) = (scene.rows, scene.columns)
        let step = Swift.max(1, Swift.max(rows, columns) / 16)   // every cell, or every few on fine grids
        for r in stride(from: 0, through: rows, by: step) {
            let y = Swift.min(grid.height - 1, r * grid.height / rows)
            grid.drawLine(x0: 0, y0: y, x1: grid.width - 1, y1: y, color: .white)
        }
        for c in stride(from: 0, through: columns, by: step) {
            let x = Swift.min(grid.width - 1, c * grid.width / columns)
            grid.drawLine(x0: x, y0: 0, x1: x, y1: grid.height - 1, color: .white)
        }
        let components = scene.patchComponents()                // [rows, columns, 3]
        var cells = RGBCanvas(width: columns, height: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                func byte(_ k: Int) -> UInt8 { UInt8((components[r, c, k] * 255).rounded()) }
                cells[c, r] = RGBColor(red: byte(0), green: byte(1), blue: byte(2))
            }
        }
        let pca = cells.resized(width: grid.width, height: grid.height, method: .nearest)
        return Mosaic(columns: 2, gap: 6, labelScale: 2).render([
            Mosaic.Panel(grid, label: "patch grid \(columns)x\(rows)"), Mosaic.Panel(pca, label: "PCA 1-3 as RGB"),
        ])
    }
}
