import Testing
import TensorCore
@testable import Attention

/// The weight-free axial attention run through the real lucidrains-style `AxialAttention`.
struct AxialDefaultsTests {
    /// A query in a red square puts ≥ 0.9 of its row and column weight on the red cells of
    /// its row and column (colour and appearance heads).
    @Test(arguments: [true, false]) func rowAndColumnConcentrateOnRed(sumAxialOut: Bool) throws {
        let scene = SyntheticImages.twoRedSquares()
        let grid = WeightFreeDefaults.featureGrid(image: scene.image, cellSize: 4)
        let weights = WeightFreeDefaults.axialAttentionWeights(for: grid, sumAxialOut: sumAxialOut)
        #expect(weights.metadata["sum_axial_out"] == (sumAxialOut ? "true" : "false"))
        let layer = try AxialAttention(weights: weights)
        #expect(layer.sumAxialOut == sumAxialOut && layer.heads == 4 && layer.headDimension == 16)
        let (y, x) = (8, 11)  // inside the square at cells (7…9, 10…12)
        let result = try layer(grid.channelsFirst, capture: .queries([y * scene.columns + x]))
        let column = try #require(result.heightAttention), row = try #require(result.widthAttention)
        #expect(column.shape == [1, 4, 1, scene.rows] && row.shape == [1, 4, 1, scene.columns])
        for head in [0, 2] {
            let columnOnRed = (0..<scene.rows).filter { scene.redCells.contains($0 * scene.columns + x) }
                .reduce(0) { $0 + column[0, head, 0, $1] }
            let rowOnRed = (0..<scene.columns).filter { scene.redCells.contains(y * scene.columns + $0) }
                .reduce(0) { $0 + row[0, head, 0, $1] }
            #expect(columnOnRed >= 0.9, "head \(head): \(columnOnRed) of the column on red")
            #expect(rowOnRed >= 0.9, "head \(head): \(rowOnRed) of the row on red")
        }
    }

    /// Along the height the weights are exact NLM over the column's cells with the grid's
    /// temperature (either mode); along the width too when the axes are summed.
    @Test(arguments: [true, false]) func weightsAreExactNonLocalMeans(sumAxialOut: Bool) throws {
        let grid = WeightFreeDefaults.featureGrid(image: FeatureGridTests.texturedImage(), cellSize: 8)
        let layer = try AxialAttention(weights: WeightFreeDefaults.axialAttentionWeights(for: grid, sumAxialOut: sumAxialOut))
        let result = try layer(grid.channelsFirst, capture: .full)
        let heightMaps = try #require(result.heightAttention), widthMaps = try #require(result.widthAttention)
        let (rows, columns) = (grid.rows, grid.columns)
        var (worstHeight, worstWidth) = (0.0, 0.0)
        for head in 0..<4 {
            let g = NonLocalMeansReference.weightedFeatures(grid.features, head: head)
            let t = NonLocalMeansReference.temperature(g)
            for y in 0..<rows {
                for x in 0..<columns {
                    let columnCells = (0..<rows).map { $0 * columns + x }
                    let expected = NonLocalMeansReference.weights(g, query: y * columns + x, among: columnCells, temperature: t)
                    // [B, W, heads, H, H]: sequence x, query y, key y'.
                    for key in 0..<rows {
                        worstHeight = max(worstHeight, abs(Double(heightMaps[0, x, head, y, key]) - expected[key]))
                    }
                    guard sumAxialOut else { continue }
                    let rowCells = (0..<columns).map { y * columns + $0 }
                    let expectedRow = NonLocalMeansReference.weights(g, query: y * columns + x, among: rowCells, temperature: t)
                    for key in 0..<columns {
                        worstWidth = max(worstWidth, abs(Double(widthMaps[0, y, head, x, key]) - expectedRow[key]))
                    }
                }
            }
        }
        #expect(worstHeight < 1e-5 && worstWidth < 1e-5, "largest |A − NLM|: height \(worstHeight), width \(worstWidth)")
    }

    /// Summed mode averages the two axes: the constant channel of the output stays 1.
    @Test func summedOutputKeepsTheConstantChannel() throws {
        let grid = WeightFreeDefaults.featureGrid(image: FeatureGridTests.texturedImage(), cellSize: 8)
        for sum in [true, false] {
            let layer = try AxialAttention(weights: WeightFreeDefaults.axialAttentionWeights(for: grid, sumAxialOut: sum))
            let output = try layer(grid.channelsFirst).output
            let constant = (0..<grid.count).map { output.storage[WeightFreeDefaults.constantChannel * grid.count + $0] }
            #expect(constant.allSatisfy { abs($0 - 1) < 1e-5 }, "sum_axial_out \(sum)")
        }
    }
}
