import Overlay

extension RenderMode {
    /// Every mode in one labelled mosaic.
    public static let all = RenderMode(MosaicMode())
}

/// Every single mode that draws something for the run's network (``RenderMode/panels(for:)``)
/// in one labelled mosaic.
///
/// Rows of ⌈√n⌉ panels for n modes, each row sized to its own panels, stacked left-aligned:
/// five modes give the three heat maps above glimpse and patch.
struct MosaicMode: ModeDefinition {
    func shows(_ network: TrainedNetwork?) -> Bool { true }

    let name = "all"
    let summary = "every mode in one labelled mosaic (with a trained ViT: cls, rollout, mask, self)"

    func maps(of scene: AttentionScene) throws -> [(RenderMode, PreparedMode)] {
        let renderer = Renderer(scene: scene)
        return try RenderMode.panels(for: scene.network).map { ($0, try $0.prepare(renderer)) }
    }

    func draw(_ maps: [(RenderMode, PreparedMode)], with renderer: Renderer) throws -> RGBCanvas {
        let panels = try maps.map { Mosaic.Panel(try $0.1.draw(with: renderer), label: $0.0.name) }
        let labelScale = Swift.max(2, renderer.scene.image.canvas.width / 300)
        let perRow = Self.panelsPerRow(panels.count)
        var stacked: RGBCanvas?
        for start in stride(from: 0, to: panels.count, by: perRow) {
            let row = Array(panels[start..<Swift.min(panels.count, start + perRow)])
            let canvas = Mosaic(columns: row.count, gap: 8, labelScale: labelScale).render(row)
            stacked = stacked.map { Renderer.stack($0, canvas) } ?? canvas
        }
        return stacked ?? renderer.scene.image.canvas
    }

    func isMosaic(_ settings: RenderSettings) -> Bool { true }

    /// ⌈√count⌉, at least 1.
    static func panelsPerRow(_ count: Int) -> Int {
        var side = 1
        while side * side < count { side += 1 }
        return side
    }
}
