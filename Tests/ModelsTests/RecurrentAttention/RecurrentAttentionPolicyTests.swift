import Testing
import TensorCore
@testable import Models

/// The policies' random draws: reproducible, keyed by item (not by batch), with the
/// reference's distributions.
@Suite struct RecurrentAttentionPolicyTests {
    /// ε has mean 0 and standard deviation 0.17 (the checkpoint's `std`); uniform starts fill
    /// [−1, 1]² with mean 0 and variance 1/3. 10,000 items × 5 steps × 2 axes.
    @Test func drawsFollowTheReferenceDistributions() throws {
        let policy = RecurrentAttentionPolicy.reference(samples: 1, seed: 7)
        let (starts, noise) = try policy.draws(batch: 10_000, steps: 5, standardDeviation: 0.17)
        let n = Double(noise.count)
        let mean = noise.storage.reduce(0.0) { $0 + Double($1) } / n
        let std = (noise.storage.reduce(0.0) { $0 + Double($1) * Double($1) } / n - mean * mean).squareRoot()
        #expect(abs(mean) < 0.003)          // standard error 0.17/√1e5 ≈ 0.0005
        #expect(abs(std - 0.17) < 0.002)
        #expect(starts.storage.allSatisfy { abs($0) <= 1 })
        let startMean = starts.storage.reduce(0.0) { $0 + Double($1) } / Double(starts.count)
        let startVariance = starts.storage.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(starts.count)
        #expect(abs(startMean) < 0.02 && abs(startVariance - 1.0 / 3) < 0.02)
    }

    /// Item i's draws do not depend on the batch it is in, and runs of one item differ.
    @Test func drawsAreKeyedByItemAndSample() throws {
        let policy = RecurrentAttentionPolicy.reference(samples: 3, seed: 42)
        let (allStarts, allNoise) = try policy.draws(batch: 10, steps: 5, standardDeviation: 0.17)
        let (starts, noise) = try policy.draws(batch: 4, steps: 5, standardDeviation: 0.17, firstItem: 6)
        for sample in 0..<3 {
            for item in 0..<4 {
                let (row, allRow) = (sample * 4 + item, sample * 10 + 6 + item)
                #expect(starts.storage[row * 2..<row * 2 + 2] == allStarts.storage[allRow * 2..<allRow * 2 + 2])
                #expect(noise.storage[row * 10..<row * 10 + 10] == allNoise.storage[allRow * 10..<allRow * 10 + 10])
            }
        }
        #expect(allNoise.storage[0..<10] != allNoise.storage[100..<110])  // item 0, samples 0 and 1
        let again = try policy.draws(batch: 10, steps: 5, standardDeviation: 0.17)
        #expect(again.firstLocations == allStarts && again.noise == allNoise)
    }

    /// The mean policy draws nothing; a given start is used for every sample.
    @Test func meanAndGivenStarts() throws {
        let (starts, noise) = try RecurrentAttentionPolicy.mean.draws(batch: 3, steps: 5, standardDeviation: 0.17)
        #expect(starts == Tensor(shape: [3, 2]) && noise == Tensor(shape: [3, 5, 2]))
        let given = Tensor(shape: [2, 2], storage: [0.5, -0.25, -1, 1])
        let policy = RecurrentAttentionPolicy(start: .given(given), sampled: true, samples: 2, seed: 1)
        let drawn = try policy.draws(batch: 2, steps: 5, standardDeviation: 0.17)
        #expect(drawn.firstLocations.storage == given.storage + given.storage)
    }

    /// Chunked classification equals one pass, and averages the M runs' log-probabilities.
    @Test func classifyIsChunkIndependentAndAverages() throws {
        let mnist = try RAMFixtures.mnist()
        let model = RAMFixtures.model
        let input = model.normalise(pixels: (0..<5).flatMap { mnist.pixels(of: $0) }, count: 5)
        let policy = RecurrentAttentionPolicy.reference(samples: 3, seed: 3)
        let whole = try model.classify(input, policy: policy)
        #expect(try model.classify(input, policy: policy, chunk: 2) == whole)
        let (_, runs) = try model.run(input, policy: policy)
        for item in 0..<5 {
            for k in 0..<10 {
                let mean = (0..<3).map { runs.logProbabilities.storage[($0 * 5 + item) * 10 + k] }.reduce(0, +) / 3
                #expect(abs(mean - whole.storage[item * 10 + k]) < 1e-5)
            }
        }
    }
}
