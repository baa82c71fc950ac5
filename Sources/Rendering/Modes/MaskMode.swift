import Attention
import Models
import Overlay
import TensorCore

extension RenderMode {
    /// DINO's thresholded class-token attention of a trained vision transformer.
    public static let mask = RenderMode(MaskMode())
}

/// DINO's masks (Caron et al. 2021, Fig. 3): per head, the patches that hold `--mass`
/// (default 0.6) of the class token's attention in the last block (`--layer N`), drawn as
/// filled regions (at `--alpha`) with their outline, one panel per head (``DINOMask``).
struct MaskMode: ModeDefinition {
    let name = "mask"
    let summary = "trained ViT (--model): per head, the patches holding --mass of the class token's attention (DINO)"

    /// One colour per head (matplotlib's tab10), repeating.
    static let headColors: [RGBColor] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
                                         0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF].map { RGBColor(hex: $0) }

    func shows(_ network: TrainedNetwork?) -> Bool { network?.isTransformer ?? false }

    /// One panel per head: drawn within the mosaic bounds.
    func isMosaic(_ settings: RenderSettings) -> Bool { true }

    /// Only the class token's rows (every block's, for `--layer`) and the predictions.
    func transformerReadout(_ settings: RenderSettings) -> VisionTransformer.Readout { .classToken }

    struct Maps: Sendable {
        var mask: PatchMask
        var predictions: [ClassPrediction]
        var pass: TransformerPass
    }

    func maps(of scene: AttentionScene) throws -> Maps {
        let pass = try scene.transformerPass(for: name)
        let block = pass.block(scene.settings.layer)
        let mask = try DINOMask(mass: scene.settings.mass)(pass.attention, layout: pass.layout, block: block)
        return Maps(mask: mask, predictions: pass.predictions, pass: pass)
    }

    func draw(_ maps: Maps, with renderer: Renderer) throws -> RGBCanvas {
        let image = maps.pass.seen(in: renderer.scene.image.canvas)
        let heads = maps.mask.shape[1]
        let panels = (0..<heads).map { k in
            Mosaic.Panel(Self.masked(image, maps.mask, head: k, color: Self.headColors[k % Self.headColors.count],
                                     alpha: renderer.settings.alpha), label: "head \(k)")
        }
        let mosaic = Mosaic(columns: Swift.min(4, heads), gap: 6, labelScale: 2).render(panels)
        return renderer.captioned(mosaic, maps.predictions)
    }

    /// `image` with head `k`'s kept patches blended with `color` at `alpha` and outlined
    /// where a kept patch borders a dropped one or the image edge.
    static func masked(_ image: RGBCanvas, _ mask: PatchMask, head k: Int, color: RGBColor, alpha: Float) -> RGBCanvas {
        let (rows, columns) = (mask.shape[2], mask.shape[3])
        var canvas = image
        let t = Swift.max(1, Swift.min(image.width, image.height) / 150)
        let kept = { (r: Int, c: Int) in r >= 0 && r < rows && c >= 0 && c < columns && mask[0, k, r, c] }
        for r in 0..<rows {
            for c in 0..<columns where kept(r, c) {
                let cell = Renderer.cellRect(row: r, column: c, rows: rows, columns: columns, in: image.bounds)
                for y in cell.y..<cell.maxY {
                    for x in cell.x..<cell.maxX { canvas.blendPixel(x: x, y: y, color, alpha: alpha) }
                }
            }
        }
        for r in 0..<rows {
            for c in 0..<columns where kept(r, c) {
                let cell = Renderer.cellRect(row: r, column: c, rows: rows, columns: columns, in: image.bounds)
                if !kept(r - 1, c) { canvas.fillRectangle(PixelRect(x: cell.x, y: cell.y, width: cell.width, height: t), color: color) }
                if !kept(r + 1, c) { canvas.fillRectangle(PixelRect(x: cell.x, y: cell.maxY - t, width: cell.width, height: t), color: color) }
                if !kept(r, c - 1) { canvas.fillRectangle(PixelRect(x: cell.x, y: cell.y, width: t, height: cell.height), color: color) }
                if !kept(r, c + 1) { canvas.fillRectangle(PixelRect(x: cell.maxX - t, y: cell.y, width: t, height: cell.height), color: color) }
            }
        }
        return canvas
    }
}
