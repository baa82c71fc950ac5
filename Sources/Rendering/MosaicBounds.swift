import Overlay

/// Keeps a mosaic within a size: at most ``maxLongSide`` pixels on its long side and
/// ``maxPixels`` in area (``RenderSize``), by drawing its panels on a smaller canvas rather
/// than shrinking a full-size mosaic (a 24-MP photo's `all` mosaic is 209 MP, 627 MB).
///
/// The canvas long side L is chosen from a trial drawing at L₀ = min(512, canvas long side):
/// a mosaic is panels of the canvas size plus gaps, labels, bars and strips that grow at most
/// in proportion to the canvas, so its size over L at L₀ bounds the size over L at any larger
/// L, and L = min(canvas, maxLongSide / (long side / L₀), √(maxPixels / (area / L₀²))) fits.
/// The result is then shrunk (area average) in the rare case it still does not.
struct MosaicBounds: Sendable {
    var maxLongSide = RenderSize.mosaicMaxLongSide
    var maxPixels = RenderSize.mosaicMaxPixels

    static let standard = MosaicBounds()
    /// Canvas long side of the trial drawing.
    static let trialLongSide = 512

    func fits(width: Int, height: Int) -> Bool {
        Swift.max(width, height) <= maxLongSide && width * height <= maxPixels
    }

    /// `draw(renderer)` within the bounds: drawn on `renderer`'s canvas when that fits, else on
    /// a smaller one (same scene, maps and grid).
    func draw(with renderer: Renderer, _ draw: (Renderer) throws -> RGBCanvas) rethrows -> RGBCanvas {
        let canvas = renderer.scene.image.canvas
        let longSide = Swift.max(canvas.width, canvas.height)
        let trialSide = Swift.min(longSide, Self.trialLongSide)
        let trial = try draw(trialSide == longSide ? renderer : renderer.withCanvas(longSide: trialSide))
        if trialSide == longSide && fits(width: trial.width, height: trial.height) { return trial }
        let side = canvasLongSide(trialWidth: trial.width, trialHeight: trial.height, trialSide: trialSide,
                                  longSide: longSide)
        let out = side == trialSide ? trial : try draw(side == longSide ? renderer : renderer.withCanvas(longSide: side))
        return shrunk(out)
    }

    /// The largest canvas long side (at most `longSide`) whose mosaic the trial predicts to fit.
    func canvasLongSide(trialWidth: Int, trialHeight: Int, trialSide: Int, longSide: Int) -> Int {
        let perSide = Double(Swift.max(trialWidth, trialHeight)) / Double(trialSide)
        let perArea = Double(trialWidth * trialHeight) / Double(trialSide * trialSide)
        let side = Swift.min(Double(maxLongSide) / perSide, (Double(maxPixels) / perArea).squareRoot())
        return Swift.max(1, Swift.min(longSide, Int(side)))
    }

    /// `canvas` shrunk (area average, aspect kept, sides rounded down) to fit, or as it is.
    func shrunk(_ canvas: RGBCanvas) -> RGBCanvas {
        guard !fits(width: canvas.width, height: canvas.height) else { return canvas }
        let scale = Swift.min(Double(maxLongSide) / Double(Swift.max(canvas.width, canvas.height)),
                              (Double(maxPixels) / Double(canvas.width * canvas.height)).squareRoot())
        return canvas.resized(width: Swift.max(1, Int(Double(canvas.width) * scale)),
                              height: Swift.max(1, Int(Double(canvas.height) * scale)), method: .area)
    }
}

extension Renderer {
    /// The same scene drawn on its canvas shrunk to `longSide` (see ``SceneImage/withCanvas(longSide:)``).
    func withCanvas(longSide: Int) -> Renderer {
        var scene = scene
        scene.image = scene.image.withCanvas(longSide: longSide)
        return Renderer(scene: scene)
    }
}
