import Testing
@testable import Overlay

/// Grid geometry worked out by hand from the formulas in the type's documentation.
struct LayerHeadGridLayoutTests {
    /// 2 layers × 3 heads of 10×6, gap 2, labels "block 0" (7 glyphs = 35 px) and "h0":
    /// left = 2 + 35 + 2 = 39, top = 2 + 7 + 2 = 11, size (39 + 3·12) × (11 + 2·8) = 75 × 27.
    @Test func labelledSmallGrid() throws {
        let grid = try #require(LayerHeadGridLayout(layers: 2, heads: 3, panelWidth: 10, panelHeight: 6,
                                                    rowLabels: ["block 0", "block 1"], columnLabels: ["h0", "h1", "h2"], gap: 2))
        #expect(grid.width == 75 && grid.height == 27)
        #expect(grid.panelWidth == 10 && grid.panelHeight == 6)
        #expect(grid.panel(layer: 0, head: 0) == PixelRect(x: 39, y: 11, width: 10, height: 6))
        #expect(grid.panel(layer: 1, head: 2) == PixelRect(x: 63, y: 19, width: 10, height: 6))
        // Glyph (7) taller than the panel (6): centring offset (6 − 7)/2 truncates to 0.
        #expect(grid.rowLabel(layer: 1) == PixelRect(x: 2, y: 19, width: 35, height: 7))
        #expect(grid.columnLabel(head: 2) == PixelRect(x: 63, y: 2, width: 10, height: 7))
    }

    /// Without labels there are no bands: 12 × 6 panels of 224² fit as they are
    /// (4 + 6·228) × (4 + 12·228) = 1372 × 2740.
    @Test func unlabelledFitsUnscaled() throws {
        let grid = try #require(LayerHeadGridLayout(layers: 12, heads: 6, panelWidth: 224, panelHeight: 224))
        #expect(grid.panelWidth == 224 && grid.width == 1372 && grid.height == 2740)
    }

    /// 12 × 12 panels of 512²: the long side allows w ≤ 337 (4 + 12·341 = 4096) but that is
    /// 16.78 MP; the area bound gives 4 + 12·(w + 4) ≤ 4000, w = 329 (exactly 16,000,000 px).
    @Test func areaBoundBinds() throws {
        let grid = try #require(LayerHeadGridLayout(layers: 12, heads: 12, panelWidth: 512, panelHeight: 512))
        #expect(grid.panelWidth == 329 && grid.panelHeight == 329)
        #expect(grid.width == 4000 && grid.height == 4000)
    }

    /// 2 × 12 panels of 640×480: the long side gives w = 337 (width exactly 4096), height
    /// round(337·480/640) = round(252.75) = 253, grid height 4 + 2·257 = 518.
    @Test func longSideBindsAndAspectKept() throws {
        let grid = try #require(LayerHeadGridLayout(layers: 2, heads: 12, panelWidth: 640, panelHeight: 480))
        #expect(grid.panelWidth == 337 && grid.panelHeight == 253)
        #expect(grid.width == 4096 && grid.height == 518)
    }

    /// 2000 heads need ≥ 4 + 2000·5 px even with 1-pixel panels.
    @Test func impossibleGridIsNil() {
        #expect(LayerHeadGridLayout(layers: 1, heads: 2000, panelWidth: 8, panelHeight: 8) == nil)
    }
}
