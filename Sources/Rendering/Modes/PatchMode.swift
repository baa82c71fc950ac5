import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// Patch grid and the first three principal components of the patch embeddings.
    public static let patch = RenderMode(PatchMode())
}

/// The patch grid beside the first three principal components of the patch embeddings as RGB.
struct PatchMode: ModeDefinition {
    let name = "patch"
    let summary = "patch grid and the first three principal components of the patch embeddings"

    /// Shape: [rows, columns, 3].
    func maps(of scene: AttentionScene) throws -> Tensor { scene.patchComponents() }

    /// Two canvas-sized panels side by side.
    func isMosaic(_ settings: RenderSettings) -> Bool { true }

    func draw(_ components: Tensor, with renderer: Renderer) throws -> RGBCanvas {
        let scene = renderer.scene
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

/// The components the patch mode draws, computed on a scene's embeddings.
extension AttentionScene {
    /// First three principal components of the patch embeddings, each scaled to [0, 1].
    ///
    /// Shape: [rows, columns, 3]; see ``principalComponents(of:rows:columns:)``.
    public func patchComponents() -> Tensor {
        Self.principalComponents(of: embeddings, rows: rows, columns: columns)
    }

    /// The first three principal components of `embeddings` (``PrincipalComponents``; fewer
    /// when E < 3) as scores per cell, each min-max scaled to [0, 1] (all 0 when a component
    /// is flat). Sign convention: each component's loading of largest magnitude is positive.
    ///
    /// Shape: embeddings [N, E] with N = rows·columns (cell n at row n / columns, column
    /// n % columns) -> [rows, columns, 3].
    public static func principalComponents(of embeddings: Tensor, rows: Int, columns: Int,
                                           directLimit: Int = PrincipalComponents.directLimit) -> Tensor {
        let n = embeddings.shape[0]
        precondition(n == rows * columns, "\(n) embeddings for a \(rows)×\(columns) grid")
        let pca = PrincipalComponents(rows: embeddings, count: 3, directLimit: directLimit)
        var out = Tensor(shape: [rows, columns, 3])
        for component in 0..<pca.count {
            let scores = (0..<n).map { pca.scores[$0 * pca.count + component] }
            let lo = scores.min() ?? 0, hi = scores.max() ?? 1
            for i in 0..<n { out[i / columns, i % columns, component] = hi > lo ? Float((scores[i] - lo) / (hi - lo)) : 0 }
        }
        return out
    }
}
