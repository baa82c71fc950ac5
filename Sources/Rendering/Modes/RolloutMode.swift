import Attention
import Overlay

extension RenderMode {
    /// Attention rollout through every block of a trained vision transformer.
    public static let rollout = RenderMode(RolloutMode())
}

/// Attention rollout (Abnar & Zuidema 2020) of a trained ViT: per block ½·A + ½·I with the
/// heads fused (`--head-fusion mean|max|min`) and the smallest `--discard-ratio` of weights
/// dropped, rows renormalised, multiplied through the blocks; the class token's row over the
/// patches (``AttentionRollout``). One map: `--heads` and `--layer` do not apply.
struct RolloutMode: ModeDefinition {
    let name = "rollout"
    let summary = "trained ViT (--model): attention rollout through all blocks (--head-fusion, --discard-ratio)"

    func shows(_ network: TrainedNetwork?) -> Bool { network?.isTransformer ?? false }

    func maps(of scene: AttentionScene) throws -> NetworkMaps {
        let pass = try scene.transformerPass(for: name)
        let rollout = AttentionRollout(headFusion: scene.settings.headFusion, discardRatio: scene.settings.discardRatio)
        let map = try rollout(pass.attention, layout: pass.layout)                 // [1, rows, columns]
        return NetworkMaps(panels: .single(map.reshaped([pass.layout.rows, pass.layout.columns])), query: nil,
                           predictions: pass.predictions, rows: pass.layout.rows, columns: pass.layout.columns,
                           pass: pass)
    }

    func draw(_ maps: NetworkMaps, with renderer: Renderer) throws -> RGBCanvas { renderer.draw(maps) }

    func networkMaps(_ maps: NetworkMaps) -> NetworkMaps? { maps }
}
