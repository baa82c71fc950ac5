#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TensorCore
@testable import Attention

/// The weight-free coordinate attention run through the real `CoordinateAttention`.
struct CoordinateDefaultsTests {
    /// Bright 16-pixel square at pixels (56…71, 24…39) on noise: cells rows 7…8, columns 3…4.
    static func scene() -> ImageFeatureGrid {
        WeightFreeDefaults.featureGrid(
            image: SyntheticImages.brightSquareOnTexture(height: 96, width: 128, top: 56, left: 24, side: 16), cellSize: 8)
    }

    @Test func gatesPeakOnTheObjectsRowsAndColumns() throws {
        let grid = Self.scene()
        let weights = WeightFreeDefaults.coordinateAttentionWeights(for: grid)
        #expect(weights.metadata["module"] == "coordinate_attention" && weights.metadata["reduction"] == "32")
        let layer = try CoordinateAttention(weights: weights)
        #expect(layer.hiddenDimension == 8)
        let result = try layer(grid.channelsFirst)
        let rowGates = (0..<grid.rows).map { result.heightAttention[0, 0, $0, 0] }
        let columnGates = (0..<grid.columns).map { result.widthAttention[0, 0, 0, $0] }
        let peakRow = rowGates.indices.max { rowGates[$0] < rowGates[$1] }!
        let peakColumn = columnGates.indices.max { columnGates[$0] < columnGates[$1] }!
        #expect((7..<9).contains(peakRow), "a_h peaks on row \(peakRow): \(rowGates)")
        #expect((3..<5).contains(peakColumn), "a_w peaks on column \(peakColumn): \(columnGates)")
        // The most salient row or column is driven to z = 3: gate σ(4·hswish(3) − 2) ≈ σ(10).
        #expect(max(rowGates.max()!, columnGates.max()!) > 0.999)
        // Every channel carries the same gates.
        for channel in 1..<64 {
            for y in 0..<grid.rows { #expect(result.heightAttention[0, channel, y, 0] == rowGates[y]) }
            for x in 0..<grid.columns { #expect(result.widthAttention[0, channel, 0, x] == columnGates[x]) }
        }
    }

    /// a_h(y) = σ(4·hswish(g·s̄(y)/√(1 + 1e-5)) − 2) with g = 3 / largest row or column mean
    /// saliency, computed here from the grid's saliency.
    @Test func gatesAreTheDocumentedFunctionOfPooledSaliency() throws {
        let grid = Self.scene()
        let result = try CoordinateAttention(weights: WeightFreeDefaults.coordinateAttentionWeights(for: grid))(grid.channelsFirst)
        let s = grid.saliency
        let rowMeans = (0..<grid.rows).map { y in (0..<grid.columns).reduce(0.0) { $0 + Double(s[y, $1]) } / Double(grid.columns) }
        let columnMeans = (0..<grid.columns).map { x in (0..<grid.rows).reduce(0.0) { $0 + Double(s[$1, x]) } / Double(grid.rows) }
        let gain = 3 / max(rowMeans.max()!, columnMeans.max()!)
        func gate(_ mean: Double) -> Double {
            let z = gain * mean / (1 + 1e-5).squareRoot()
            let hswish = z * min(max(z + 3, 0), 6) / 6
            return 1 / (1 + exp(-(4 * hswish - 2)))
        }
        var worst = 0.0
        for y in 0..<grid.rows { worst = max(worst, abs(Double(result.heightAttention[0, 5, y, 0]) - gate(rowMeans[y]))) }
        for x in 0..<grid.columns { worst = max(worst, abs(Double(result.widthAttention[0, 5, 0, x]) - gate(columnMeans[x]))) }
        #expect(worst < 1e-5, "largest gate error \(worst)")
    }

    /// Without any saliency the gates are σ(−2) everywhere.
    @Test func flatImageGatesAreConstant() throws {
        let grid = WeightFreeDefaults.featureGrid(image: Tensor(shape: [1, 3, 32, 32], repeating: 0.5), cellSize: 8)
        let result = try CoordinateAttention(weights: WeightFreeDefaults.coordinateAttentionWeights(for: grid))(grid.channelsFirst)
        let expected = Float(1 / (1 + exp(2.0)))
        #expect(result.heightAttention.storage.allSatisfy { abs($0 - expected) < 1e-6 })
        #expect(result.widthAttention.storage.allSatisfy { abs($0 - expected) < 1e-6 })
    }
}
