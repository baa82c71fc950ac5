import Foundation
import Testing
import TensorCore
@testable import Attention

/// `Fixtures/analysis/analysis.safetensors`, written by `tools/make_analysis_fixtures.py`:
/// random attention blocks and the maps NumPy transcriptions of DINO's and vit-explain's
/// code compute from them (see the script's docstring for every tensor).
struct AnalysisFixture {
    let file: SafetensorsFile

    /// Grid 3×5, 4 heads, 3 blocks, batch 2 (batch 1 for the `bug.` set).
    static let rows = 3, columns = 5

    /// Class token and 2 registers (T = 18).
    static let layout = TokenLayout(hasClassToken: true, registerCount: 2, rows: rows, columns: columns)
    /// No class token, 1 register (T = 16).
    static let noClassLayout = TokenLayout(hasClassToken: false, registerCount: 1, rows: rows, columns: columns)
    /// Class token, no registers (T = 16), for vit-explain's own layout.
    static let plainLayout = TokenLayout(hasClassToken: true, registerCount: 0, rows: rows, columns: columns)

    init() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        file = try SafetensorsFile.read(path: url.appendingPathComponent("analysis/analysis.safetensors").path)
    }

    func tensor(_ name: String) throws -> Tensor { try file.tensor(name) }

    /// The three blocks `<prefix>attention.0 … .2`.
    func blocks(_ prefix: String = "") throws -> [Tensor] {
        try (0..<3).map { try file.tensor("\(prefix)attention.\($0)") }
    }

    /// A stored U8 mask as a ``PatchMask``.
    func mask(_ name: String) throws -> PatchMask {
        let shape = try #require(file.info(name)?.shape)
        return PatchMask(shape: shape, storage: try file.integers(name).map { UInt8($0) })
    }
}

/// The panel `k` of maps `[B, K, rows, columns]` as `[B, 1, rows, columns]`.
func panel(_ maps: Tensor, _ k: Int) -> Tensor {
    let (b, n, r, c) = (maps.shape[0], maps.shape[1], maps.shape[2], maps.shape[3])
    var out: [Float] = []
    let size = r * c
    for item in 0..<b {
        let start: Int = (item * n + k) * size
        out += maps.storage[start..<(start + size)]
    }
    return Tensor(shape: [b, 1, r, c], storage: out)
}

/// The mean over panels of maps `[B, K, rows, columns]`, as `[B, 1, rows, columns]`.
func panelMean(_ maps: Tensor) -> Tensor {
    let n = maps.shape[1]
    var sum = panel(maps, 0).storage.map(Double.init)
    for k in 1..<n { for (i, v) in panel(maps, k).storage.enumerated() { sum[i] += Double(v) } }
    return Tensor(shape: [maps.shape[0], 1, maps.shape[2], maps.shape[3]], storage: sum.map { Float($0 / Double(n)) })
}
