import Attention
import TensorCore

/// Running the model under a ``RecurrentAttentionPolicy``: single runs kept whole (for
/// drawing), or many images classified in chunks (for accuracy).
extension RecurrentAttentionModel {
    /// The M·B runs of a policy and their averaged log-probabilities.
    ///
    /// Shape: input [B, C, 28, 28] normalised -> logProbabilities [B, K] (the mean over the M
    /// runs of each item's log-probabilities, as the reference's test); runs with M·B rows,
    /// sample-major (row m·B + b).
    public func run(_ input: Tensor, policy: RecurrentAttentionPolicy, firstItem: Int = 0) throws
        -> (logProbabilities: Tensor, runs: RecurrentAttentionRun) {
        guard input.rank == 4 else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(channels), 28, 28]", got: input.shape)
        }
        let b = input.shape[0], m = policy.samples
        let (firstLocations, noise) = try policy.draws(batch: b, steps: numGlimpses - 1,
                                                       standardDeviation: standardDeviation, firstItem: firstItem)
        // [B, C, H, W] -> [M·B, C, H, W], the batch repeated M times.
        let repeated = m == 1 ? input
            : Tensor(shape: [m * b] + input.shape.dropFirst(), storage: Array([[Float]](repeating: input.storage, count: m).joined()))
        let runs = try run(repeated, firstLocations: firstLocations, noise: noise)
        let k = numClasses
        var average = Tensor(shape: [b, k])
        for sample in 0..<m {
            for i in 0..<b * k { average.storage[i] += runs.logProbabilities.storage[sample * b * k + i] }
        }
        for i in average.storage.indices { average.storage[i] /= Float(m) }
        return (average, runs)
    }

    /// The averaged log-probabilities of many images, computed `chunk` images at a time
    /// (the random streams are keyed by item index, so the chunk size changes nothing).
    ///
    /// Shape: input [N, C, 28, 28] normalised -> [N, K].
    public func classify(_ input: Tensor, policy: RecurrentAttentionPolicy, chunk: Int = 1000) throws -> Tensor {
        guard input.rank == 4 else {
            throw AttentionError.inputShape(name: "input", expected: "[N, \(channels), 28, 28]", got: input.shape)
        }
        let n = input.shape[0], itemSize = input.count / max(n, 1), k = numClasses
        var result = Tensor(shape: [n, k])
        var start = 0
        while start < n {
            let end = min(start + chunk, n)
            let slice = Tensor(shape: [end - start] + input.shape.dropFirst(),
                               storage: Array(input.storage[start * itemSize..<end * itemSize]))
            var chunkPolicy = policy
            if case .given(let given) = policy.start {
                chunkPolicy.start = .given(Tensor(shape: [end - start, 2], storage: Array(given.storage[start * 2..<end * 2])))
            }
            let (average, _) = try run(slice, policy: chunkPolicy, firstItem: start)
            result.storage.replaceSubrange(start * k..<end * k, with: average.storage)
            start = end
        }
        return result
    }

    /// Normalises MNIST pixels (0…255, 0 = background) as the model was trained:
    /// (x/255 − mean)/std.
    ///
    /// Shape: N·784 bytes, row-major digits -> [N, 1, 28, 28].
    public func normalise(pixels: [UInt8], count n: Int) -> Tensor {
        let size = Self.imageSize
        precondition(pixels.count == n * size * size, "expected \(n)·\(size * size) pixels, got \(pixels.count)")
        return Tensor(shape: [n, 1, size, size],
                      storage: pixels.map { (Float($0) / 255 - inputMean) / inputStandardDeviation })
    }
}
