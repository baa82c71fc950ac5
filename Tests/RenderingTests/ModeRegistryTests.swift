import Foundation
import Overlay
@testable import Rendering
import Testing

/// The registry is the one list of modes: names, lookup, and the `all` mosaic's layout.
@Suite struct ModeRegistryTests {
    @Test func registeredNamesInDisplayOrder() {
        // Contract 4's modes, `all` last.
        #expect(RenderMode.names == ["axial", "self", "coord", "glimpse", "patch", "cls", "rollout", "mask", "all"])
        #expect(RenderMode.panels.map(\.name) == ["axial", "self", "coord", "glimpse", "patch", "cls", "rollout", "mask"])
        // The `all` mosaic's panels: the weight-free modes without a network; cls, rollout,
        // mask and self with a vision transformer (see TrainedNetworkRenderTests).
        #expect(RenderMode.panels(for: nil).map(\.name) == ["axial", "self", "coord", "glimpse", "patch"])
        #expect(RenderMode.named("coord") == .coord)
        #expect(RenderMode.named("sideways") == nil)
        #expect(RenderMode.coord.fileSuffix == "coord")
    }

    /// ⌈√n⌉ panels per row, by hand: 5 modes give rows of 3 and 2 (the layout before the
    /// registry), 8 give 3, 3, 2.
    @Test func mosaicRowsFollowTheCount() {
        #expect([1, 2, 3, 4, 5, 8, 9, 10].map(MosaicMode.panelsPerRow) == [1, 2, 2, 2, 3, 3, 3, 4])
    }

    /// The mosaic of the five modes: the three heat maps on top, glimpse and patch below,
    /// each row a Mosaic of its own panels, stacked left-aligned.
    @Test func mosaicIsThreeAboveTwo() throws {
        let scene = try RenderModesTests.scene(alpha: 0.5)
        let renderer = Renderer(scene: scene)
        let scale = Swift.max(2, scene.image.canvas.width / 300)
        let panels = try RenderMode.panels(for: nil).map { Mosaic.Panel(try renderer.render($0), label: $0.name) }
        let top = Mosaic(columns: 3, gap: 8, labelScale: scale).render(Array(panels[0..<3]))
        let bottom = Mosaic(columns: 2, gap: 8, labelScale: scale).render(Array(panels[3...]))
        #expect(try renderer.render(.all) == Renderer.stack(top, bottom))
    }
}
