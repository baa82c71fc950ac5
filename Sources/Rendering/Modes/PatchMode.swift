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
    /// Shape: [rows, columns, 3]. Components come from power iteration with deflation on
    /// the E×E covariance; signs are fixed so each component's largest loading is positive.
    public func patchComponents() -> Tensor {
        let n = embeddings.shape[0], e = embeddings.shape[1]
        var centered = embeddings.storage
        for j in 0..<e {
            var mean: Float = 0
            for i in 0..<n { mean += centered[i * e + j] }
            mean /= Float(n)
            for i in 0..<n { centered[i * e + j] -= mean }
        }
        let x = Tensor(shape: [n, e], storage: centered)
        var covariance = x.matmul(x, transposeSelf: true)     // [E, E]
        var out = Tensor(shape: [rows, columns, 3])
        for component in 0..<Swift.min(3, e) {
            var v = (0..<e).map { Float(1 + ($0 * 7 + component) % 5) }
            for _ in 0..<200 {
                var next = [Float](repeating: 0, count: e)
                for i in 0..<e { for j in 0..<e { next[i] += covariance[i, j] * v[j] } }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm < 1e-20 { break }
                v = next.map { $0 / norm }
            }
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            let lambda = (0..<e).reduce(Float(0)) { acc, i in acc + v[i] * (0..<e).reduce(Float(0)) { $0 + covariance[i, $1] * v[$1] } }
            for i in 0..<e { for j in 0..<e { covariance[i, j] -= lambda * v[i] * v[j] } }
            var scores = (0..<n).map { i in (0..<e).reduce(Float(0)) { $0 + centered[i * e + $1] * v[$1] } }
            let lo = scores.min() ?? 0, hi = scores.max() ?? 1
            scores = scores.map { hi > lo ? ($0 - lo) / (hi - lo) : 0 }
            for i in 0..<n { out[i / columns, i % columns, component] = scores[i] }
        }
        return out
    }
}
