import TensorCore

/// What one pass of the ``RecurrentAttentionModel`` produced: the class log-probabilities,
/// every location glimpsed, the final hidden state and the glimpses as the network saw them.
///
/// Shape: logProbabilities [B, K], locations [B, T, 2] (l₀ … l_{T−1}, (x, y) in [−1, 1]),
/// hidden [B, hidden] (h_T), glimpses [B, T, k·C·g²] (φ of each step, row-major patches of
/// the normalised image, zeros outside it).
public struct RecurrentAttentionRun: Sendable {
    public var logProbabilities: Tensor
    public var locations: Tensor
    public var hidden: Tensor
    public var glimpses: Tensor

    public init(logProbabilities: Tensor, locations: Tensor, hidden: Tensor, glimpses: Tensor) {
        (self.logProbabilities, self.locations, self.hidden, self.glimpses) = (logProbabilities, locations, hidden, glimpses)
    }

    /// The most probable class of every item (the first on ties, as `argmax`).
    public var predictions: [Int] {
        let k = logProbabilities.shape[1]
        return (0..<logProbabilities.shape[0]).map { row in
            var best = 0
            for i in 1..<k where logProbabilities.storage[row * k + i] > logProbabilities.storage[row * k + best] { best = i }
            return best
        }
    }
}
