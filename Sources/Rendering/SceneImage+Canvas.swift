import Overlay

extension SceneImage {
    /// The same image (grid, working tensor, so the same maps) with its canvas shrunk (area
    /// average, aspect kept) to at most `longSide` pixels on its long side: what a mosaic's
    /// panels are drawn on. Grid cells map onto the new canvas as onto the old one
    /// (``canvasCenter(row:column:)`` scales with it); ``scale`` follows the canvas.
    func withCanvas(longSide: Int) -> SceneImage {
        precondition(longSide >= 1, "a canvas needs a long side of at least 1, got \(longSide)")
        var copy = self
        copy.canvas = canvas.fitted(maxWidth: longSide, maxHeight: longSide)
        copy.scale = scale * Double(copy.canvas.width) / Double(canvas.width)
        return copy
    }
}
