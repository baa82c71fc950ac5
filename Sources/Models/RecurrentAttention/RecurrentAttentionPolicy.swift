import Attention
import TensorCore

/// How the ``RecurrentAttentionModel`` chooses its glimpses: where the first one goes,
/// whether later ones follow the location network's mean or a sample around it, and how many
/// sampled runs are averaged.
///
/// - ``mean``: l₀ at the centre, ε = 0 (deterministic).
/// - ``reference(samples:seed:)``: the reference's test procedure (`trainer.test` of
///   kevinzakka/recurrent-visual-attention): every image is run M times with l₀ uniform in
///   [−1, 1]² and ε ~ N(0, std²), and the M log-probability vectors are averaged.
///
/// Randomness is reproducible and independent of batching: run m (0 ≤ m < M) of item i
/// (its index in the whole data set, `firstItem` + row) draws from its own
/// ``SplitMix64`` stream, seeded with the first output of `SplitMix64(seed ^ (i << 16 | m))`.
/// The stream gives, in order: when the start is random, two uniforms u (53-bit, in (0, 1))
/// and l₀ = 2u − 1 as (x, y); then for each step t = 1 … T − 1 one Box–Muller pair
/// (z₁, z₂) and ε_t = std · (z₁, z₂) as (x, y).
public struct RecurrentAttentionPolicy: Sendable, Equatable {
    /// Where the first glimpse goes.
    public enum Start: Sendable, Equatable {
        /// l₀ = (0, 0), the image centre.
        case centre
        /// The given l₀ of every item. Shape: [B, 2], (x, y) in [−1, 1].
        case given(Tensor)
        /// l₀ uniform in [−1, 1]², drawn from each run's stream (as the reference does).
        case random
    }

    /// Where the first glimpse goes.
    public var start: Start
    /// Sample ε ~ N(0, std²) (true) or take ε = 0, the mean of the policy (false).
    public var sampled: Bool
    /// Number of runs M per image whose log-probabilities are averaged (≥ 1).
    public var samples: Int
    /// Seed of the random streams (unused when nothing is random).
    public var seed: UInt64

    public init(start: Start = .centre, sampled: Bool = false, samples: Int = 1, seed: UInt64 = 0) {
        precondition(samples >= 1 && samples <= 1 << 16, "samples must be in 1...65536, got \(samples)")
        (self.start, self.sampled, self.samples, self.seed) = (start, sampled, samples, seed)
    }

    /// The deterministic policy: centre start, ε = 0.
    public static let mean = RecurrentAttentionPolicy()

    /// The reference's test procedure: M sampled runs from uniform starts, averaged.
    public static func reference(samples: Int, seed: UInt64) -> RecurrentAttentionPolicy {
        RecurrentAttentionPolicy(start: .random, sampled: true, samples: samples, seed: seed)
    }

    /// The first locations and noise of the M·B runs, sample-major (row m·B + b is run m of
    /// item b, as the reference's `x.repeat(M, 1, 1, 1)`).
    ///
    /// Shape: -> (l₀ [M·B, 2], noise [M·B, steps, 2]).
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` when a given start is not [B, 2].
    public func draws(batch b: Int, steps: Int, standardDeviation: Float, firstItem: Int = 0) throws
        -> (firstLocations: Tensor, noise: Tensor) {
        let m = samples
        var firstLocations = Tensor(shape: [m * b, 2])
        var noise = Tensor(shape: [m * b, steps, 2])
        if case .given(let given) = start {
            guard given.shape == [b, 2] else {
                throw AttentionError.inputShape(name: "locations", expected: "[\(b), 2]", got: given.shape)
            }
            for sample in 0..<m { firstLocations.storage.replaceSubrange(sample * b * 2..<(sample + 1) * b * 2, with: given.storage) }
        }
        guard start == .random || sampled else { return (firstLocations, noise) }
        for sample in 0..<m {
            for item in 0..<b {
                let row = sample * b + item
                var stream = Self.stream(seed: seed, item: firstItem + item, sample: sample)
                if start == .random {
                    for axis in 0..<2 { firstLocations.storage[row * 2 + axis] = Float(2 * stream.nextUnitInterval() - 1) }
                }
                guard sampled else { continue }
                for t in 0..<steps {
                    let (z1, z2) = stream.nextNormalPair()
                    noise.storage[(row * steps + t) * 2] = standardDeviation * Float(z1)
                    noise.storage[(row * steps + t) * 2 + 1] = standardDeviation * Float(z2)
                }
            }
        }
        return (firstLocations, noise)
    }

    /// The stream of run `sample` of data-set item `item`.
    static func stream(seed: UInt64, item: Int, sample: Int) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(item) << 16 | UInt64(sample)))
        return SplitMix64(seed: mixer.next())
    }
}
