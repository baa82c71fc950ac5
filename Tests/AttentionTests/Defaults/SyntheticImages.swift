@testable import Attention
import TensorCore

/// Small synthetic images for the weight-free default tests, with the cells or pixels
/// that form their object.
enum SyntheticImages {
    /// Red (1, 0, 0) squares on a blue (0, 0, 1) field, aligned to a grid of p-pixel cells.
    ///
    /// Squares are (top row, left column, side) in cells. Shape: [1, 3, rows·p, columns·p].
    static func redSquaresOnBlue(rows: Int, columns: Int, cellSize p: Int,
                                 squares: [(row: Int, column: Int, side: Int)]) -> (image: Tensor, redCells: Set<Int>) {
        var red = Set<Int>()
        for square in squares {
            for r in square.row..<(square.row + square.side) {
                for c in square.column..<(square.column + square.side) { red.insert(r * columns + c) }
            }
        }
        let (h, w) = (rows * p, columns * p)
        var image = Tensor(shape: [1, 3, h, w])
        for y in 0..<h {
            for x in 0..<w {
                let isRed = red.contains((y / p) * columns + x / p)
                image[0, 0, y, x] = isRed ? 1 : 0
                image[0, 2, y, x] = isRed ? 0 : 1
            }
        }
        return (image, red)
    }

    /// The two-square test scene: a 12×16 grid of 4-pixel cells with red squares of 3 cells
    /// at cell (2, 2) and cell (7, 10).
    static func twoRedSquares() -> (image: Tensor, redCells: Set<Int>, rows: Int, columns: Int) {
        let (rows, columns) = (12, 16)
        let scene = redSquaresOnBlue(rows: rows, columns: columns, cellSize: 4,
                                     squares: [(2, 2, 3), (7, 10, 3)])
        return (scene.image, scene.redCells, rows, columns)
    }

    /// A bright square (0.95) on a dark, finely textured background (grey noise uniform in
    /// [0.1, 0.3], hashed from the pixel position so it is the same on every run), in 3 channels.
    ///
    /// The object covers rows `top..<top+side`, columns `left..<left+side`.
    /// Shape: [1, 3, height, width].
    static func brightSquareOnTexture(height: Int, width: Int, top: Int, left: Int, side: Int) -> Tensor {
        var image = Tensor(shape: [1, 3, height, width])
        for y in 0..<height {
            for x in 0..<width {
                let inside = (top..<(top + side)).contains(y) && (left..<(left + side)).contains(x)
                var hash = SeededGenerator(seed: UInt64(y * width + x))
                let background = 0.1 + 0.2 * Float(hash.next() >> 40) / Float(1 << 24)
                for channel in 0..<3 { image[0, channel, y, x] = inside ? 0.95 : background }
            }
        }
        return image
    }
}
