import Foundation
import TensorCore

/// One of a classifier's most probable classes.
public struct ClassPrediction: Sendable, Equatable {
    /// Class index in `0..<K`.
    public var index: Int
    /// Softmax probability of the class, in [0, 1].
    public var probability: Float
    /// The class's name, when one is known.
    public var name: String?

    public init(index: Int, probability: Float, name: String?) {
        self.index = index
        self.probability = probability
        self.name = name
    }

    /// The `k` most probable classes of each batch item, most probable first.
    ///
    /// Probabilities are the softmax of the logits (computed in Float64 with the maximum
    /// subtracted); equal probabilities are ordered by index. Names come from `names` when
    /// given, else from ``ImageNetClassNames`` when there are 1000 classes, else none.
    ///
    /// Shape: `logits` `[B, K]` → B arrays of `min(k, K)` predictions.
    public static func top(_ logits: Tensor, k: Int = 5, names: [String]? = nil) throws(AnalysisError) -> [[ClassPrediction]] {
        precondition(k > 0, "top-k needs k ≥ 1, got \(k)")
        guard logits.rank == 2, logits.shape[1] > 0 else { throw .logitsShape(expected: "[B, K]", got: logits.shape) }
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        if let names, names.count != classes {
            throw .logitsShape(expected: "[B, \(names.count)] (one logit per class name)", got: logits.shape)
        }
        let labels = names ?? (classes == ImageNetClassNames.all.count ? ImageNetClassNames.all : nil)
        return (0..<batch).map { b in
            let row = (0..<classes).map { Double(logits.storage[b * classes + $0]) }
            let top = row.max()!
            let exps = row.map { exp($0 - top) }
            let sum = exps.reduce(0, +)
            let order = exps.indices.sorted { exps[$0] > exps[$1] || (exps[$0] == exps[$1] && $0 < $1) }
            return order.prefix(k).map { i in
                ClassPrediction(index: i, probability: Float(exps[i] / sum), name: labels?[i])
            }
        }
    }
}
