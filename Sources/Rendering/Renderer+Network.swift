import Attention
import Overlay
import TensorCore

/// Drawing a trained network's maps: heat maps on the network's patch grid, per-head
/// mosaics, the layer-by-head grid, the query patch and the top classes as a caption.
extension Renderer {
    /// The picture of `maps`, with the predictions below it when the network classifies.
    func draw(_ maps: NetworkMaps) -> RGBCanvas {
        let image = maps.pass.seen(in: scene.image.canvas)
        let picture: RGBCanvas
        switch maps.panels {
        case .single(let grid):
            var canvas = heat(grid, on: image)
            if let query = maps.query { markPatch(query, of: maps, on: &canvas, in: image.bounds) }
            picture = canvas
        case .heads(let heads):
            var marked = image
            if let query = maps.query { markPatch(query, of: maps, on: &marked, in: image.bounds) }
            let grid = HeadGrid(blend: blend, normalization: settings.normalization, upsampling: settings.upsampling,
                                mosaic: Mosaic(columns: Swift.min(4, heads.shape[0]), gap: 6, labelScale: 2))
            picture = grid.render(image: marked, maps: heads)
        case .layers(let blocks):
            picture = layerGrid(blocks, maps: maps)
        }
        return captioned(picture, maps.predictions)
    }

    /// Every block (row) and head (column) over the image, shrunk together so the grid stays
    /// within 4096 pixels on its long side and 16 megapixels (``LayerHeadGridLayout``).
    func layerGrid(_ blocks: [Tensor], maps: NetworkMaps) -> RGBCanvas {
        let image = maps.pass.seen(in: scene.image.canvas)
        let heads = blocks.first?.shape[0] ?? 1
        let labelScale = Swift.max(1, image.width / 200)
        guard let layout = LayerHeadGridLayout(
            layers: blocks.count, heads: heads, panelWidth: image.width, panelHeight: image.height,
            rowLabels: blocks.indices.map { "block \($0)" }, columnLabels: (0..<heads).map { "head \($0)" },
            gap: 4, labelScale: labelScale) else { return image }
        var canvas = RGBCanvas(width: layout.width, height: layout.height, fill: .white)
        let small = image.width == layout.panelWidth && image.height == layout.panelHeight
            ? image : image.resized(width: layout.panelWidth, height: layout.panelHeight, method: .area)
        let (rows, columns) = (maps.rows, maps.columns)
        for (l, block) in blocks.enumerated() {
            let label = layout.rowLabel(layer: l)
            canvas.drawText("block \(l)", x: label.x, y: label.y, color: .black, scale: labelScale)
            for k in 0..<heads {
                let area = layout.panel(layer: l, head: k)
                let grid = Tensor(shape: [rows, columns], storage: Array(block.storage[(k * rows * columns)..<((k + 1) * rows * columns)]))
                blend.overlay(image: small, grid: grid, normalization: settings.normalization,
                              upsampling: settings.upsampling, into: &canvas, x: area.x, y: area.y)
                if let query = maps.query { markPatch(query, of: maps, on: &canvas, in: area) }
            }
        }
        for k in 0..<heads {
            let label = layout.columnLabel(head: k)
            canvas.drawText("head \(k)", x: label.x, y: label.y, color: .black, scale: labelScale)
        }
        return canvas
    }

    /// Outlines the query patch (on the network's grid) inside `area` of `canvas`.
    func markPatch(_ patch: (row: Int, column: Int), of maps: NetworkMaps, on canvas: inout RGBCanvas, in area: PixelRect) {
        let rect = Self.cellRect(row: patch.row, column: patch.column, rows: maps.rows, columns: maps.columns, in: area)
        let t = Swift.max(1, Swift.min(area.width, area.height) / 150)
        canvas.drawRectangle(PixelRect(x: rect.x - t, y: rect.y - t, width: rect.width + 2 * t, height: rect.height + 2 * t),
                             color: .black, thickness: t)
        canvas.drawRectangle(rect, color: .white, thickness: t)
    }

    /// Pixels of grid cell (row, column) of a rows × columns grid laid over `area`: rows
    /// r·H/rows ..< (r+1)·H/rows, as the maps are upsampled.
    static func cellRect(row: Int, column: Int, rows: Int, columns: Int, in area: PixelRect) -> PixelRect {
        let x0 = column * area.width / columns, x1 = (column + 1) * area.width / columns
        let y0 = row * area.height / rows, y1 = (row + 1) * area.height / rows
        return PixelRect(x: area.x + x0, y: area.y + y0, width: x1 - x0, height: y1 - y0)
    }

    /// `picture` above a white band listing the predictions (`1. 97.3%  name`, names cut
    /// with `...` to the picture's width), or as it is without predictions.
    func captioned(_ picture: RGBCanvas, _ predictions: [ClassPrediction]) -> RGBCanvas {
        guard !predictions.isEmpty else { return picture }
        let scale = Swift.max(1, Swift.min(3, picture.width / 200))
        let line = BitmapFont.lineHeight * scale + 2
        let fitting = Swift.max(8, (picture.width - 12) / (BitmapFont.advance * scale))
        let lines = predictions.enumerated().map { i, p in
            let percent = (Double(p.probability) * 1000).rounded() / 10
            let text = "\(i + 1). \(percent)%  \(p.name ?? "class \(p.index)")"
            return text.count <= fitting ? text : String(text.prefix(fitting - 3)) + "..."
        }
        var band = RGBCanvas(width: picture.width, height: 8 + lines.count * line, fill: .white)
        for (i, text) in lines.enumerated() {
            band.drawText(text, x: 6, y: 4 + i * line, color: .black, scale: scale)
        }
        return Self.stack(picture, band)
    }
}
