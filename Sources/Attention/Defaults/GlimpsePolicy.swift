import TensorCore

/// Where the glimpse sensor looks when no recurrent network drives it: the most salient
/// places first, or a RAM-style noisy version of them, or locations given by the caller.
///
/// Coordinates follow ``GlimpseSampler``: (x, y) ∈ [-1, 1]², x through the width, y through
/// the height, (-1, -1) the top-left corner. A map pixel (row i, column j) of an h×w map
/// has centre ((2j + 1)/w − 1, (2i + 1)/h − 1).
public struct GlimpsePolicy: Sendable {
    /// How locations are chosen.
    public enum Kind: Sendable {
        /// Argmax of the saliency, then inhibition of return (Itti, Koch and Niebur,
        /// PAMI 1998): a disk around each pick is suppressed before the next argmax.
        case greedy
        /// The greedy locations plus Gaussian noise of the given standard deviation (in
        /// normalised units), clipped to [-1, 1], as RAM samples its location from
        /// N(μ, σ²) around the location network's mean (Mnih et al., NeurIPS 2014). Seeded
        /// SplitMix64 with Box–Muller: the same seed gives the same locations.
        case stochastic(standardDeviation: Double, seed: UInt64)
        /// The caller's locations, returned as given (at most `count` of them).
        case given([(x: Double, y: Double)])
    }

    /// The policy.
    public var kind: Kind

    /// A policy of the given kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// Glimpse centres in [-1, 1]² as (x, y), chosen on a saliency map.
    ///
    /// Greedy: pick the map's maximum (the first in row-major order on ties), then set every
    /// pixel whose centre lies within `inhibitionRadius` (Euclidean, normalised units) of
    /// the pick to −∞, and repeat. When every pixel is suppressed before `count` picks,
    /// inhibition wears off (all pixels not picked yet become available again, with their
    /// saliency); a map with fewer pixels than `count` repeats its picks in order.
    /// Stochastic: the greedy picks, each moved by (σ·z₁, σ·z₂) with (z₁, z₂) one
    /// Box–Muller pair, then clipped to [-1, 1]. Given: the first `count` listed locations.
    ///
    /// Shape: saliency [h, w] -> `count` locations (fewer only for a shorter given list).
    public func locations(saliency: Tensor, count: Int, inhibitionRadius: Double) -> [(x: Double, y: Double)] {
        precondition(count >= 0, "glimpse count must be non-negative, got \(count)")
        switch kind {
        case let .given(list):
            return Array(list.prefix(count))
        case .greedy:
            return Self.greedy(saliency: saliency, count: count, inhibitionRadius: inhibitionRadius)
        case let .stochastic(standardDeviation, seed):
            var generator = SplitMix64(seed: seed)
            return Self.greedy(saliency: saliency, count: count, inhibitionRadius: inhibitionRadius).map { centre in
                let (dx, dy) = generator.nextNormalPair()
                return (x: min(1, max(-1, centre.x + standardDeviation * dx)),
                        y: min(1, max(-1, centre.y + standardDeviation * dy)))
            }
        }
    }

    /// Argmax with inhibition of return. Shape: saliency [h, w] -> `count` locations.
    static func greedy(saliency: Tensor, count: Int, inhibitionRadius: Double) -> [(x: Double, y: Double)] {
        precondition(saliency.rank == 2 && saliency.count > 0, "saliency must be a non-empty [h, w] map, got \(saliency.shape)")
        let (h, w) = (saliency.shape[0], saliency.shape[1])
        func centre(_ index: Int) -> (x: Double, y: Double) {
            (x: Double(2 * (index % w) + 1) / Double(w) - 1, y: Double(2 * (index / w) + 1) / Double(h) - 1)
        }
        // NaN counts as the lowest saliency.
        let values = saliency.storage.map { $0.isNaN ? -Float.greatestFiniteMagnitude : $0 }
        var available = [Bool](repeating: true, count: values.count)
        var picked = [Bool](repeating: false, count: values.count)
        var result: [(x: Double, y: Double)] = []
        var order: [Int] = []
        while result.count < count {
            if order.count == values.count {
                // Every pixel picked once: repeat the sequence.
                result.append(centre(order[result.count % order.count]))
                continue
            }
            var best = -1
            for i in values.indices where available[i] && (best < 0 || values[i] > values[best]) { best = i }
            if best < 0 {
                // All suppressed: inhibition wears off for pixels not picked yet.
                for i in values.indices { available[i] = !picked[i] }
                continue
            }
            picked[best] = true
            order.append(best)
            let location = centre(best)
            result.append(location)
            for i in values.indices where available[i] {
                let other = centre(i)
                let (dx, dy) = (other.x - location.x, other.y - location.y)
                if i == best || (dx * dx + dy * dy).squareRoot() <= inhibitionRadius { available[i] = false }
            }
        }
        return result
    }
}
