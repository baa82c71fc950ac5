import Attention
import Models
import Overlay

extension RenderMode {
    /// The class token's attention over the patches in a trained vision transformer.
    public static let cls = RenderMode(ClassTokenMode())
}

/// Where a trained ViT's class token looks (DINO's `visualize_attention.py`): its attention
/// row over the patches in the last block (`--layer N` for another), the mean over heads,
/// one panel per head with `--heads`, every block with `--layer all`; the top classes below.
struct ClassTokenMode: ModeDefinition {
    let name = "cls"
    let summary = "trained ViT (--model): the class token's attention over the patches, last block (--layer N|all, --heads)"

    func shows(_ network: TrainedNetwork?) -> Bool { network?.isTransformer ?? false }

    /// Per-head panels and the layer grid: drawn within the mosaic bounds.
    func isMosaic(_ settings: RenderSettings) -> Bool { settings.heads || settings.layer == .all }

    func maps(of scene: AttentionScene) throws -> NetworkMaps {
        let pass = try scene.transformerPass(for: name)
        return try NetworkMaps.of(pass, settings: scene.settings) { block, heads in
            try ClassTokenAttention.maps(pass.attention, layout: pass.layout, block: block, heads: heads)
        }
    }

    func draw(_ maps: NetworkMaps, with renderer: Renderer) throws -> RGBCanvas { renderer.draw(maps) }

    func networkMaps(_ maps: NetworkMaps) -> NetworkMaps? { maps }

    /// Only the class token's rows (every block's, for `--layer`) and the predictions.
    func transformerReadout(_ settings: RenderSettings) -> VisionTransformer.Readout { .classToken }
}
