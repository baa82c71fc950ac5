import Testing
import TensorCore
@testable import Attention

/// Spectral-residual saliency against the NumPy reference and hand-worked filter cases.
struct SaliencyTests {
    @Test func matchesNumPyReference() {
        let image = Tensor(shape: [1, 3, SaliencyReference.height, SaliencyReference.width], storage: SaliencyReference.image())
        let map = WeightFreeDefaults.saliency(image: image)
        #expect(map.shape == [SaliencyReference.mapHeight, SaliencyReference.mapWidth])
        var worst = 0.0
        var index = 0
        for row in SaliencyReference.sampledRows {
            for column in SaliencyReference.sampledColumns {
                worst = max(worst, abs(Double(map[row, column]) - SaliencyReference.samples[index]))
                index += 1
            }
        }
        #expect(worst < 1e-5, "largest |saliency − NumPy| over the samples = \(worst)")
        let mean = map.storage.reduce(0) { $0 + Double($1) } / Double(map.count)
        #expect(abs(mean - SaliencyReference.mean) < 1e-5, "mean \(mean), NumPy \(SaliencyReference.mean)")
        let peak = map.storage.indices.max { map.storage[$0] < map.storage[$1] }!
        #expect(peak == SaliencyReference.peak.row * map.shape[1] + SaliencyReference.peak.column)
        #expect(map.storage.min() == 0 && map.storage.max() == 1)
    }

    @Test func gaussianIsMatlabs() {
        let taps = SpectralResidual.gaussianTaps
        #expect(zip(taps, SaliencyReference.gaussianTaps).allSatisfy { abs($0 - $1) < 1e-14 })
    }

    /// 3×3 mean with replicated borders on [[0, 0, 9], [0, 0, 0]]: the window of (0, 2)
    /// holds row 0 twice and column 2 twice, so 9 four times (mean 4); (0, 1) twice (2);
    /// (1, 2) twice (row 0 once, column 2 twice: 2); (1, 1) once (1); column 0 never.
    @Test func boxMeanReplicatesBordersByHand() {
        let mean = SpectralResidual.boxMean3x3Replicate([0, 0, 9, 0, 0, 0], height: 2, width: 3)
        #expect(mean == [0, 2, 4, 0, 1, 2])
    }

    /// An impulse blurred by the 10-tap kernel with origin 4: output (y, x) = tap[4 − y + 5]·tap[…]
    /// (correlation puts tap j at offset j − 4), zero outside.
    @Test func blurIsCorrelationWithZeroPadding() {
        let n = 12
        var plane = [Double](repeating: 0, count: n * n)
        plane[5 * n + 5] = 1
        let blurred = SpectralResidual.gaussianBlur(plane, height: n, width: n)
        let taps = SpectralResidual.gaussianTaps
        for y in 0..<n {
            for x in 0..<n {
                // out(y) = Σ_j tap[j]·in(y + j − 4), nonzero when y + j − 4 = 5, j = 9 − y.
                let (jy, jx) = (9 - y, 9 - x)
                let expected = (0..<10).contains(jy) && (0..<10).contains(jx) ? taps[jy] * taps[jx] : 0
                #expect(abs(blurred[y * n + x] - expected) < 1e-15, "(\(y), \(x))")
            }
        }
    }

    @Test func constantImageHasNoSaliency() {
        let map = WeightFreeDefaults.saliency(image: Tensor(shape: [1, 1, 40, 30], repeating: 0.7))
        #expect(map.shape == [64, 48] && map.storage.allSatisfy { $0 == 0 })
    }

    @Test func sizeKeepsAspectAtLongSide64() {
        #expect(WeightFreeDefaults.saliencySize(height: 480, width: 640) == (48, 64))
        #expect(WeightFreeDefaults.saliencySize(height: 100, width: 30) == (64, 19))
        #expect(WeightFreeDefaults.saliencySize(height: 20, width: 20) == (64, 64))
    }

    /// A bright square on a dark noisy texture: the most salient cell of the grid lies on it
    /// (cells 7..<9 × 3..<5 for the 16-pixel square, 7..<10 × 3..<6 for the 24-pixel one),
    /// and the grid saliency spans [0, 1].
    @Test(arguments: [(16, 9, 5), (24, 10, 6)])
    func brightObjectIsSalient(side: Int, rowEnd: Int, columnEnd: Int) {
        let image = SyntheticImages.brightSquareOnTexture(height: 96, width: 128, top: 56, left: 24, side: side)
        let grid = WeightFreeDefaults.featureGrid(image: image, cellSize: 8)
        let peak = grid.saliency.storage.indices.max { grid.saliency.storage[$0] < grid.saliency.storage[$1] }!
        let (row, column) = (peak / grid.columns, peak % grid.columns)
        #expect((7..<rowEnd).contains(row) && (3..<columnEnd).contains(column), "peak cell (\(row), \(column))")
        #expect(grid.saliency.storage.min() == 0 && grid.saliency.storage.max() == 1)
    }
}
