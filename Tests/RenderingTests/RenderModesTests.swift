import Foundation
import ImageCodecs
import Overlay
import Rendering
import TensorCore
import Testing

/// Every mode on a sample photograph: the expected size, changed where the map is hot,
/// unchanged where alpha is 0.
@Suite struct RenderModesTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/chelsea.png").path

    static func scene(alpha: Float, gridLongSide: Int = 32) throws -> AttentionScene {
        var settings = RenderSettings()
        settings.alpha = alpha
        settings.gridLongSide = gridLongSide
        let image = try SceneImage.load(path: sample, settings: settings)
        return try AttentionScene(image: image, settings: settings)
    }

    /// Fraction of canvas pixels that differ from the input.
    static func changed(_ a: RGBCanvas, _ b: RGBCanvas) -> Double {
        var n = 0
        for i in stride(from: 0, to: a.pixels.count, by: 3)
        where a.pixels[i] != b.pixels[i] || a.pixels[i + 1] != b.pixels[i + 1] || a.pixels[i + 2] != b.pixels[i + 2] { n += 1 }
        return Double(n) / Double(a.pixels.count / 3)
    }

    @Test(arguments: [RenderMode.`self`, .axial, .coord])
    func heatModesChangeHotPixelsOnly(_ mode: RenderMode) throws {
        let hot = try Self.scene(alpha: 0.6)
        let image = hot.image.canvas
        #expect(image.width == 451 && image.height == 300)
        let rendered = try Renderer(scene: hot).render(mode)
        // Axial and coordinate modes add profile bars on the top and left; the image sits at the offset.
        let offset = mode == .self ? 0 : rendered.width - image.width
        #expect(rendered.height - image.height == offset)
        var inner = RGBCanvas(width: image.width, height: image.height)
        for y in 0..<image.height { for x in 0..<image.width { inner[x, y] = rendered[x + offset, y + offset] } }
        #expect(Self.changed(inner, image) > 0.5, "a blended heat map changes most pixels")

        let transparent = try Self.scene(alpha: 0)
        let plain = try Renderer(scene: transparent).render(mode)
        var innerPlain = RGBCanvas(width: image.width, height: image.height)
        for y in 0..<image.height { for x in 0..<image.width { innerPlain[x, y] = plain[x + offset, y + offset] } }
        // alpha 0: identical except the query cross-hair.
        #expect(Self.changed(innerPlain, image) < 0.01)
    }

    @Test func glimpseAndPatchAndAll() throws {
        let scene = try Self.scene(alpha: 0.5)
        let glimpse = try Renderer(scene: scene).render(.glimpse)
        #expect(glimpse.width >= 451 && glimpse.height > 300)
        let patch = try Renderer(scene: scene).render(.patch)
        #expect(patch.width >= 2 * 451 && patch.height >= 300)
        let all = try Renderer(scene: scene).render(.all)
        #expect(all.width > 3 * 451 && all.height > 2 * 300)
    }
}
