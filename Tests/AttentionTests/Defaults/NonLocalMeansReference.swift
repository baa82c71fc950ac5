#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore

/// Non-local-means weights computed directly from a grid's features, in Double, as the
/// documentation of the weight-free heads defines them (independent of the q/k/v layout).
enum NonLocalMeansReference {
    /// Selected features and weights of head h: colour 0..<3, texture 3..<11, appearance
    /// 0..<11, appearance+position 0..<13 with position weighted by 1/√(Var x + Var y).
    static func weightedFeatures(_ features: Tensor, head: Int) -> [[Double]] {
        let n = features.shape[0]
        let channels = [Array(0..<3), Array(3..<11), Array(0..<11), Array(0..<13)][head]
        var positionVariance = 0.0
        for k in 11..<13 {
            let column = (0..<n).map { Double(features[$0, k]) }
            let mean = column.reduce(0, +) / Double(n)
            positionVariance += column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        }
        let lambda = 1 / positionVariance.squareRoot()
        return (0..<n).map { i in channels.map { k in Double(features[i, k]) * (k >= 11 ? lambda : 1) } }
    }

    /// T = ½ · mean over all ordered pairs of |g_i − g_j|² (floored at 1e-3).
    static func temperature(_ g: [[Double]]) -> Double {
        var total = 0.0
        for a in g { for b in g { total += squaredDistance(a, b) } }
        return max(0.5 * total / Double(g.count * g.count), 1e-3)
    }

    /// exp(−|g_i − g_j|²/T) / Σ_j, over the candidate cells `among` (all cells by default).
    static func weights(_ g: [[Double]], query i: Int, among candidates: [Int]? = nil, temperature: Double) -> [Double] {
        let cells = candidates ?? Array(g.indices)
        let raw = cells.map { exp(-squaredDistance(g[i], g[$0]) / temperature) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
}
