import Testing
import TensorCore
@testable import Attention

/// The image-derived features: embedder, scaling, texture PCA, position and token layout.
struct FeatureGridTests {
    /// The textured reference scene (yellow disk on a sinusoidal field), 60×100.
    static func texturedImage() -> Tensor {
        Tensor(shape: [1, 3, SaliencyReference.height, SaliencyReference.width], storage: SaliencyReference.image())
    }

    @Test func gridSizeDropsPartialCells() {
        let grid = WeightFreeDefaults.featureGrid(image: Self.texturedImage(), cellSize: 8)
        #expect((grid.rows, grid.columns, grid.cellSize) == (7, 12, 8))
        #expect(grid.tokens.shape == [84, 64] && grid.features.shape == [84, 13] && grid.saliency.shape == [7, 12])
        #expect(grid.embedding.weight.shape == [11, 3, 8, 8])
    }

    @Test func embedderProducesTheFeatures() throws {
        let image = Self.texturedImage()
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: 8)
        let embedded = try grid.embedding(image)
        for i in 0..<grid.count {
            for k in 0..<11 { #expect(embedded[0, i, k] == grid.features[i, k]) }
        }
    }

    /// Colour features are the cell's mean colour, centred and divided by the colour spread,
    /// all computed here directly from the pixels.
    @Test func colourIsTheCentredScaledCellMean() {
        let image = Self.texturedImage()
        let p = 8
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: p)
        var means = [[Double]](repeating: [0, 0, 0], count: grid.count)
        for i in 0..<grid.count {
            let (r, c) = (i / grid.columns, i % grid.columns)
            for channel in 0..<3 {
                var sum = 0.0
                for y in (r * p)..<(r * p + p) { for x in (c * p)..<(c * p + p) { sum += Double(image[0, channel, y, x]) } }
                means[i][channel] = sum / Double(p * p)
            }
        }
        let centre = (0..<3).map { k in means.reduce(0) { $0 + $1[k] } / Double(grid.count) }
        let spread = (means.reduce(0) { total, m in total + (0..<3).reduce(0) { $0 + (m[$1] - centre[$1]) * (m[$1] - centre[$1]) } }
            / Double(grid.count)).squareRoot()
        var worst = 0.0
        for i in 0..<grid.count {
            for k in 0..<3 { worst = max(worst, abs(Double(grid.features[i, k]) - (means[i][k] - centre[k]) / spread)) }
        }
        #expect(worst < 1e-4, "largest colour error \(worst)")
    }

    @Test func colourAndTextureHaveUnitSpread() {
        let grid = WeightFreeDefaults.featureGrid(image: Self.texturedImage(), cellSize: 4)
        for group in [0..<3, 3..<11] {
            var total = 0.0
            for k in group {
                let column = (0..<grid.count).map { Double(grid.features[$0, k]) }
                let mean = column.reduce(0, +) / Double(grid.count)
                #expect(abs(mean) < 1e-4, "feature \(k) mean \(mean)")
                total += column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(grid.count)
            }
            #expect(abs(total.squareRoot() - 1) < 1e-4, "spread of \(group) = \(total.squareRoot())")
        }
    }

    /// With p = 4 (no pooling) the texture weights, summed over channels, are the principal
    /// axes of the grey 4×4 patches: orthogonal, each an eigenvector of the patch
    /// covariance (computed here), with decreasing variances, the first above every
    /// single pixel's variance.
    @Test func textureIsThePrincipalComponents() {
        let image = Self.texturedImage()
        let p = 4, d = 16
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: p)
        let n = grid.count
        var patches = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
        for i in 0..<n {
            let (r, c) = (i / grid.columns, i % grid.columns)
            for ky in 0..<p {
                for kx in 0..<p {
                    patches[i][ky * p + kx] = (0..<3).reduce(0) { $0 + Double(image[0, $1, r * p + ky, c * p + kx]) } / 3
                }
            }
        }
        let mean = (0..<d).map { j in patches.reduce(0) { $0 + $1[j] } / Double(n) }
        var covariance = [Double](repeating: 0, count: d * d)
        for patch in patches {
            for a in 0..<d { for b in 0..<d { covariance[a * d + b] += (patch[a] - mean[a]) * (patch[b] - mean[b]) / Double(n) } }
        }
        let axes: [[Double]] = (0..<8).map { k in
            let row = (0..<d).map { j in (0..<3).reduce(0) { $0 + Double(grid.embedding.weight[3 + k, $1, j / p, j % p]) } }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
        var previous = Double.infinity
        for (k, axis) in axes.enumerated() {
            let image = (0..<d).map { a in (0..<d).reduce(0) { $0 + covariance[a * d + $1] * axis[$1] } }
            let variance = zip(image, axis).reduce(0) { $0 + $1.0 * $1.1 }
            let residual = zip(image, axis).reduce(0) { $0 + ($1.0 - variance * $1.1) * ($1.0 - variance * $1.1) }.squareRoot()
            #expect(residual < 1e-5 * max(1, variance), "axis \(k) is not an eigenvector (residual \(residual))")
            #expect(variance <= previous + 1e-9)
            previous = variance
            for other in axes[..<k] {
                #expect(abs(zip(axis, other).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-5)
            }
        }
        let largestPixelVariance = (0..<d).map { covariance[$0 * d + $0] }.max()!
        let top = (0..<d).reduce(0.0) { total, a in total + axes[0][a] * (0..<d).reduce(0) { $0 + covariance[a * d + $1] * axes[0][$1] } }
        #expect(top >= largestPixelVariance)
    }

    /// Position is the cell centre; the token holds features, per-head |g|², 1 and saliency.
    @Test func tokenLayout() {
        let grid = WeightFreeDefaults.featureGrid(image: Self.texturedImage(), cellSize: 8)
        let (rows, columns) = (Double(grid.rows), Double(grid.columns))
        // λ = 1/√(Var x + Var y); Var of (k + ½)/m over k < m is (m² − 1)/(12 m²).
        let lambda = 1 / ((columns * columns - 1) / (12 * columns * columns) + (rows * rows - 1) / (12 * rows * rows)).squareRoot()
        for i in 0..<grid.count {
            let (r, c) = (i / grid.columns, i % grid.columns)
            #expect(abs(Double(grid.features[i, 11]) - (Double(c) + 0.5) / columns) < 1e-7)
            #expect(abs(Double(grid.features[i, 12]) - (Double(r) + 0.5) / rows) < 1e-7)
            for k in 0..<13 { #expect(grid.tokens[i, k] == grid.features[i, k]) }
            let f = (0..<13).map { Double(grid.features[i, $0]) }
            let colour = f[0..<3].reduce(0) { $0 + $1 * $1 }, texture = f[3..<11].reduce(0) { $0 + $1 * $1 }
            let position = lambda * lambda * (f[11] * f[11] + f[12] * f[12])
            let norms = [colour, texture, colour + texture, colour + texture + position]
            for h in 0..<4 {
                #expect(abs(Double(grid.tokens[i, 13 + h]) - norms[h]) < 1e-5 * max(1, norms[h]), "norm \(h) of cell \(i)")
            }
            #expect(grid.tokens[i, 17] == 1)
            #expect(grid.tokens[i, 18] == grid.saliency.storage[i])
            for k in 19..<64 { #expect(grid.tokens[i, k] == 0) }
        }
    }

    @Test func greyImageReplicatesColour() {
        let rgb = Self.texturedImage()
        var grey = Tensor(shape: [1, 1, rgb.shape[2], rgb.shape[3]])
        for i in 0..<grey.count { grey.storage[i] = (rgb.storage[i] + rgb.storage[grey.count + i] + rgb.storage[2 * grey.count + i]) / 3 }
        let grid = WeightFreeDefaults.featureGrid(image: grey, cellSize: 8)
        #expect(grid.embedding.weight.shape == [11, 1, 8, 8])
        for i in 0..<grid.count {
            #expect(grid.features[i, 0] == grid.features[i, 1] && grid.features[i, 1] == grid.features[i, 2])
        }
        #expect(grid.features.storage.allSatisfy { $0.isFinite })
    }

    /// A flat image has no texture and no colour spread: features stay finite, texture is 0.
    @Test func flatImageHasNoTexture() {
        let image = Tensor(shape: [1, 3, 32, 32], repeating: 0.4)
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: 8)
        #expect(grid.tokens.storage.allSatisfy { $0.isFinite })
        for i in 0..<grid.count { for k in 3..<11 { #expect(grid.features[i, k] == 0) } }
    }
}
