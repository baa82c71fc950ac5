import TensorCore

/// The image's own texture basis: principal components of its grey cell patches.
///
/// Every cell's grey patch (mean of the channels, p×p) is area-pooled to s×s with
/// s = min(p, ``maximumSide``) — so the eigen-problem stays at most 256×256 whatever the
/// cell size — and the covariance of the pooled patches (population, mean patch μ removed)
/// is decomposed by ``SymmetricEigen`` (cyclic Jacobi). The top ``componentCount``
/// eigenvectors are the texture directions; feature k of a cell is `v_k · (pooled − μ)`.
///
/// A component is kept only when it carries real variance: eigenvalue > 1e-7·s² (a
/// per-pixel standard deviation of a few 1e-4 in [0, 1] grey) and > 1e-6 of the largest.
/// Dropped components (flat images, p ≤ 2 with fewer than 8 directions, rounding noise)
/// are zero vectors, so their feature is exactly 0 instead of amplified noise.
///
/// Because pooling is linear, component k on a full p×p patch is `Pᵀ v_k P` (P the [s, p]
/// pooling matrix): ``patchWeight(_:)`` is what a p×p convolution needs.
///
/// Shape: components [8][s²], mean patch [s²], patch weights [p·p].
struct TextureBasis: Sendable {
    /// Texture features per cell.
    static let componentCount = 8
    /// Largest pooled patch side.
    static let maximumSide = 16

    /// Cell side p and pooled side s.
    let cellSize: Int, pooledSide: Int
    /// Area-pooling matrix p -> s. Shape: [s, p].
    let pooling: [Double]
    /// Mean pooled patch μ. Shape: [s²].
    let meanPatch: [Double]
    /// Unit components, zero when dropped. Shape: [8][s²].
    let components: [[Double]]
    /// Eigenvalues of the kept components (0 when dropped). Shape: [8].
    let variances: [Double]

    /// The basis of the grey plane's `rows`×`columns` cells of side `cellSize`.
    ///
    /// Shape: grey [H·W] -> basis.
    init(grey: [Double], height: Int, width: Int, cellSize p: Int, rows: Int, columns: Int) {
        precondition(rows * p <= height && columns * p <= width, "grid \(rows)×\(columns) of \(p) exceeds \(height)×\(width)")
        let s = min(p, Self.maximumSide), d = s * s, n = rows * columns
        cellSize = p
        pooledSide = s
        pooling = AreaResampling.weights(sourceCount: p, start: 0, step: Double(p) / Double(s), count: s)
        // Pooled patches: [N, s²], cell-major.
        var patches = [Double](repeating: 0, count: n * d)
        var cell = [Double](repeating: 0, count: p * p)
        for r in 0..<rows {
            for c in 0..<columns {
                for ky in 0..<p {
                    for kx in 0..<p { cell[ky * p + kx] = grey[(r * p + ky) * width + c * p + kx] }
                }
                let pooled = AreaResampling.apply(cell, height: p, width: p, rows: pooling, outputHeight: s,
                                                  columns: pooling, outputWidth: s)
                let base = (r * columns + c) * d
                for i in 0..<d { patches[base + i] = pooled[i] }
            }
        }
        var mean = [Double](repeating: 0, count: d)
        for cellIndex in 0..<n { for i in 0..<d { mean[i] += patches[cellIndex * d + i] } }
        for i in 0..<d { mean[i] /= Double(n) }
        for cellIndex in 0..<n { for i in 0..<d { patches[cellIndex * d + i] -= mean[i] } }
        // Covariance Σ = XᵀX / N (upper triangle, then mirrored).
        var covariance = [Double](repeating: 0, count: d * d)
        for cellIndex in 0..<n {
            let row = cellIndex * d
            for i in 0..<d {
                let xi = patches[row + i]
                if xi == 0 { continue }
                for j in i..<d { covariance[i * d + j] += xi * patches[row + j] }
            }
        }
        for i in 0..<d {
            for j in i..<d {
                covariance[i * d + j] /= Double(n)
                covariance[j * d + i] = covariance[i * d + j]
            }
        }
        let eigen = SymmetricEigen(symmetric: covariance, size: d)
        let largest = max(0, eigen.values.first ?? 0)
        var components: [[Double]] = []
        var variances: [Double] = []
        for k in 0..<Self.componentCount {
            let value = k < d ? eigen.values[k] : 0
            if k < d, value > 1e-7 * Double(d), value > 1e-6 * largest {
                components.append(Array(eigen.vector(k)))
                variances.append(value)
            } else {
                components.append([Double](repeating: 0, count: d))
                variances.append(0)
            }
        }
        meanPatch = mean
        self.components = components
        self.variances = variances
    }

    /// Component k as a weight on a full p×p patch: `Pᵀ v_k P`, row-major (ky, kx).
    ///
    /// Shape: [p·p].
    func patchWeight(_ k: Int) -> [Double] {
        let (p, s) = (cellSize, pooledSide)
        let v = components[k]
        var weight = [Double](repeating: 0, count: p * p)
        for a in 0..<s {
            for b in 0..<s where v[a * s + b] != 0 {
                for ky in 0..<p where pooling[a * p + ky] != 0 {
                    let rowWeight = v[a * s + b] * pooling[a * p + ky]
                    for kx in 0..<p { weight[ky * p + kx] += rowWeight * pooling[b * p + kx] }
                }
            }
        }
        return weight
    }

    /// The constant that centres component k: `−v_k · μ`.
    func bias(_ k: Int) -> Double {
        zip(components[k], meanPatch).reduce(0) { $0 - $1.0 * $1.1 }
    }
}
