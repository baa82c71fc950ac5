import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// Coordinate-attention gate map with its a_h / a_w profiles.
    public static let coord = RenderMode(CoordinateMode())
}

/// Coordinate attention (Hou et al., 2021): the gate a_h ⊗ a_w over the image with the two
/// profiles as bars.
struct CoordinateMode: ModeDefinition {
    let name = "coord"
    let summary = "coordinate-attention gate map with its a_h / a_w profiles"

    func maps(of scene: AttentionScene) throws -> AttentionScene.CoordinateMaps { try scene.coordinateMaps() }

    func draw(_ maps: AttentionScene.CoordinateMaps, with renderer: Renderer) throws -> RGBCanvas {
        renderer.heatWithBars(maps.gate, marksQuery: false, rowProfile: maps.heightProfile,
                              columnProfile: maps.widthProfile)
    }

    func rowSource(_ maps: AttentionScene.CoordinateMaps, with renderer: Renderer) -> RowSource? {
        guard !renderer.settings.colorBar else { return nil }
        return renderer.barsSource(maps.gate, marksQuery: false, rowProfile: maps.heightProfile,
                                   columnProfile: maps.widthProfile)
    }
}

/// The maps the coord mode draws, computed on a scene's grid.
extension AttentionScene {
    /// Coordinate-attention gates.
    public struct CoordinateMaps: Sendable {
        /// a_h ⊗ a_w averaged over channels. Shape: [rows, columns].
        public var gate: Tensor
        /// a_h averaged over channels. Shape: [rows].
        public var heightProfile: [Float]
        /// a_w averaged over channels. Shape: [columns].
        public var widthProfile: [Float]
    }

    public func coordinateMaps() throws -> CoordinateMaps {
        let module = try coordinateAttention()
        let result = try module(featureMap)
        let ah = result.heightAttention                      // [1, C, rows, 1]
        let aw = result.widthAttention                       // [1, C, 1, columns]
        let c = ah.shape[1]
        var gate = Tensor(shape: [rows, columns])
        var hp = [Float](repeating: 0, count: rows), wp = [Float](repeating: 0, count: columns)
        for k in 0..<c {
            for y in 0..<rows { hp[y] += ah[0, k, y, 0] / Float(c) }
            for x in 0..<columns { wp[x] += aw[0, k, 0, x] / Float(c) }
            for y in 0..<rows {
                let a = ah[0, k, y, 0] / Float(c)
                for x in 0..<columns { gate[y, x] += a * aw[0, k, 0, x] }
            }
        }
        return CoordinateMaps(gate: gate, heightProfile: hp, widthProfile: wp)
    }
}
