import ImageCodecs
import Overlay
import Rendering
import TensorCore
import Testing

/// A map with one hot cell lands on exactly the image pixels of that cell.
@Suite struct AlignmentTests {
    @Test func oneHotCellOnANonSquareImage() {
        // 90×50 image, grid long side 9 -> 9 columns × 5 rows, 10×10 pixels per cell.
        var settings = RenderSettings()
        settings.gridLongSide = 9
        settings.cellSize = 4
        let image = Image(width: 90, height: 50, channels: 3, pixels: [UInt8](repeating: 128, count: 90 * 50 * 3))
        let scene = SceneImage(image: image, originalWidth: 90, settings: settings)
        #expect(scene.rows == 5 && scene.columns == 9)
        #expect(scene.working.shape == [1, 3, 20, 36])
        var grid = Tensor(shape: [5, 9])
        grid[3, 6] = 1
        let out = Blend(colormap: .gray, alpha: 1).overlay(image: scene.canvas, grid: grid, upsampling: .nearest)
        for y in 0..<50 {
            for x in 0..<90 {
                let inside = (60..<70).contains(x) && (30..<40).contains(y)
                #expect(out[x, y] == (inside ? RGBColor.white : RGBColor.black), "pixel (\(x), \(y))")
            }
        }
        let cell = scene.cell(x: 65, y: 35)
        #expect(cell.row == 3 && cell.column == 6)
        let centre = scene.canvasCenter(row: 3, column: 6)
        #expect(centre.x == 65 && centre.y == 35)
    }
}
