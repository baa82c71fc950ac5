import Testing
import TensorCore
@testable import Overlay

struct MosaicTests {
    let panels = [
        Mosaic.Panel(RGBCanvas(width: 4, height: 3, fill: .red), label: "a"),
        Mosaic.Panel(RGBCanvas(width: 5, height: 2, fill: .green), label: "bcd"),
        Mosaic.Panel(RGBCanvas(width: 2, height: 2, fill: .blue), label: nil),
    ]

    @Test func layoutWithLabels() {
        let mosaic = Mosaic(columns: 2, gap: 4)
        let plan = mosaic.layout(panels)
        // Cell 5 × (9 label rows + 3) = 5 × 12; grid 2 × 2 with 4-pixel gaps.
        #expect(plan.width == 4 + 2 * (5 + 4) && plan.height == 4 + 2 * (12 + 4))
        #expect(plan.images == [PixelRect(x: 4, y: 13, width: 4, height: 3),
                                PixelRect(x: 13, y: 13, width: 5, height: 2),
                                PixelRect(x: 4, y: 29, width: 2, height: 2)])
        #expect(plan.labels[0] == PixelRect(x: 4, y: 4, width: 5, height: 7))
        #expect(plan.labels[2] == nil)
    }

    @Test func renderPlacesPanelsAndLabels() {
        let out = Mosaic(columns: 2, gap: 4).render(panels)
        #expect(out.width == 22 && out.height == 36)
        let plan = Mosaic(columns: 2, gap: 4).layout(panels)
        var counts: [RGBColor: Int] = [:]
        for y in 0..<out.height {
            for x in 0..<out.width {
                let c = out[x, y]
                counts[c, default: 0] += 1
                if c == .red { #expect(plan.images[0].contains(x: x, y: y)) }
                if c == .green { #expect(plan.images[1].contains(x: x, y: y)) }
                if c == .blue { #expect(plan.images[2].contains(x: x, y: y)) }
                if c == .black {
                    #expect(plan.labels[0]!.contains(x: x, y: y) || plan.labels[1]!.contains(x: x, y: y))
                }
            }
        }
        #expect(counts[.red] == 12 && counts[.green] == 10 && counts[.blue] == 4)
        // "bcd" is cut to the one glyph that fits the 5-pixel cell.
        let ink = { (c: Character) in BitmapFont.rows(of: c).map(\.nonzeroBitCount).reduce(0, +) }
        #expect(counts[.black] == ink("a") + ink("b"))
    }

    @Test func noLabelsNoBandAndSquareDefault() {
        let tiles = (0..<5).map { _ in Mosaic.Panel(RGBCanvas(width: 3, height: 3)) }
        let plan = Mosaic(gap: 1).layout(tiles)
        // ⌈√5⌉ = 3 columns, 2 rows, no label band.
        #expect(plan.width == 1 + 3 * 4 && plan.height == 1 + 2 * 4)
        #expect(plan.images[3] == PixelRect(x: 1, y: 5, width: 3, height: 3))
    }

    @Test func headGridOverlaysEachHead() {
        let image = RGBCanvas(width: 4, height: 2, fill: .red)
        let maps = Tensor(shape: [2, 1, 2], storage: [0, 1, 5, 2])
        let grid = HeadGrid(blend: Blend(colormap: .gray, alpha: 1), upsampling: .nearest, mosaic: Mosaic(columns: 2))
        let panels = grid.panels(image: image, maps: maps)
        #expect(panels.map(\.label) == ["head 0", "head 1"])
        var first = RGBCanvas(width: 4, height: 2)
        first.fillRectangle(PixelRect(x: 2, y: 0, width: 2, height: 2), color: .white)
        #expect(panels[0].canvas == first)
        var second = RGBCanvas(width: 4, height: 2)
        second.fillRectangle(PixelRect(x: 0, y: 0, width: 2, height: 2), color: .white)
        #expect(panels[1].canvas == second)
        let out = grid.render(image: image, maps: maps, labels: ["q", "k"])
        #expect(out == Mosaic(columns: 2).render([Mosaic.Panel(first, label: "q"), Mosaic.Panel(second, label: "k")]))
    }
}
