import Foundation
import Overlay
import Rendering
import TensorCore
import Testing

/// The axial and coordinate renders draw heat map, query mark and profile bars into one
/// canvas; they must equal the public steps done one after another (blend into a new
/// canvas, cross-hair on it, bars around a copy of it), including cross-hairs clipped at
/// every edge of the image.
@Suite struct FusedOverlayTests {
    static func scene(query: QueryPoint) throws -> AttentionScene {
        var settings = RenderSettings()
        settings.gridLongSide = 24
        settings.query = query
        settings.colormap = .viridis
        let image = try SceneImage.load(path: RenderModesTests.sample, settings: settings)
        return try AttentionScene(image: image, settings: settings)
    }

    /// The three steps by hand, with the public pieces.
    static func stepByStep(_ scene: AttentionScene, grid: Tensor, marksQuery: Bool,
                           rowProfile: [Float], columnProfile: [Float]) -> RGBCanvas {
        let settings = scene.settings
        var canvas = Blend(colormap: settings.colormap, alpha: settings.alpha)
            .overlay(image: scene.image.canvas, grid: grid, normalization: settings.normalization,
                     upsampling: settings.upsampling)
        if marksQuery {
            let (x, y) = scene.image.canvasCenter(row: scene.query.row, column: scene.query.column)
            let r = max(6, min(canvas.width, canvas.height) / 40), t = max(1, r / 5)
            canvas.drawCrosshair(x: x, y: y, radius: r + t, color: .black, thickness: t + 2)
            canvas.drawCrosshair(x: x, y: y, radius: r, color: .white, thickness: t)
        }
        return ProfileBars(colormap: settings.colormap).render(image: canvas, rowProfile: rowProfile,
                                                               columnProfile: columnProfile)
    }

    @Test(arguments: [QueryPoint.pixel(x: 0, y: 0), .pixel(x: 450, y: 299), .pixel(x: 3, y: 150),
                      .pixel(x: 225, y: 298), .auto])
    func axialEqualsTheStepsInTurn(_ query: QueryPoint) throws {
        let scene = try Self.scene(query: query)
        let maps = try scene.axialMaps()
        let expected = Self.stepByStep(scene, grid: maps.effective.mean(axis: 0), marksQuery: true,
                                       rowProfile: maps.columnWeights, columnProfile: maps.rowWeights)
        let rendered = try Renderer(scene: scene).render(.axial)
        #expect(rendered == expected)
    }

    @Test func coordinateEqualsTheStepsInTurn() throws {
        let scene = try Self.scene(query: .auto)
        let maps = try scene.coordinateMaps()
        let expected = Self.stepByStep(scene, grid: maps.gate, marksQuery: false,
                                       rowProfile: maps.heightProfile, columnProfile: maps.widthProfile)
        #expect(try Renderer(scene: scene).render(.coord) == expected)
    }

    /// A clipped cross-hair draws exactly the pixels of the unclipped one on a canvas the
    /// size of the clip box.
    @Test func clippedCrosshairMatchesASmallCanvas() {
        var small = RGBCanvas(width: 20, height: 12, fill: .gray)
        small.drawCrosshair(x: 18, y: 1, radius: 7, color: .red, thickness: 3)
        var big = RGBCanvas(width: 40, height: 30, fill: .blue)
        let area = PixelRect(x: 9, y: 11, width: 20, height: 12)
        big.fillRectangle(area, color: .gray)
        big.drawCrosshair(x: 9 + 18, y: 11 + 1, radius: 7, color: .red, thickness: 3, clip: area)
        var expected = RGBCanvas(width: 40, height: 30, fill: .blue)
        expected.paste(small, x: 9, y: 11)
        #expect(big == expected)
    }
}

/// The band-by-band picture (what `vis` writes for axial and coordinate modes) against the
/// whole-canvas render, for bands of several heights (crossing the bar strip, the query
/// mark and the image's last row).
@Suite struct RowSourceTests {
    static func stitched(_ source: RowSource, bandRows: Int) -> RGBCanvas {
        var pixels: [UInt8] = []
        for start in stride(from: 0, to: source.height, by: bandRows) {
            pixels += source.rows(start..<min(source.height, start + bandRows)).pixels
        }
        return RGBCanvas(width: source.width, height: source.height, pixels: pixels)
    }

    @Test(arguments: [QueryPoint.pixel(x: 0, y: 0), .pixel(x: 450, y: 299), .auto])
    func axialBandsEqualTheCanvas(_ query: QueryPoint) throws {
        let renderer = Renderer(scene: try FusedOverlayTests.scene(query: query))
        let canvas = try renderer.render(.axial)
        let source = try #require(try renderer.rowSource(.axial))
        #expect(source.width == canvas.width && source.height == canvas.height)
        for bandRows in [1, 7, 16, 25, 26, 27, 1000] {
            #expect(Self.stitched(source, bandRows: bandRows) == canvas, "bands of \(bandRows) rows")
        }
    }

    @Test func coordinateBandsEqualTheCanvas() throws {
        let renderer = Renderer(scene: try FusedOverlayTests.scene(query: .auto))
        let source = try #require(try renderer.rowSource(.coord))
        #expect(Self.stitched(source, bandRows: 16) == (try renderer.render(.coord)))
    }

    /// Modes drawn otherwise have no row source.
    @Test func otherModesHaveNone() throws {
        let renderer = Renderer(scene: try FusedOverlayTests.scene(query: .auto))
        for mode in [RenderMode.`self`, .glimpse, .patch, .all] { #expect(try renderer.rowSource(mode) == nil) }
    }
}
