import Testing
import TensorCore
@testable import Attention

/// The library's deterministic generator (SplitMix64) for reproducible test inputs.
typealias SeededGenerator = SplitMix64

/// A tensor of uniform values in [-scale, scale].
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let values = (0..<Tensor.count(of: shape)).map { _ in Float.random(in: -scale...scale, using: &generator) }
    return Tensor(shape: shape, storage: values)
}

/// Largest |got − expected| over all elements (infinity on a shape mismatch).
func largestError(_ got: Tensor, _ expected: Tensor) -> Float {
    guard got.shape == expected.shape else { return .infinity }
    return zip(got.storage, expected.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Expects `got` within `absolute + relative·|expected|` of `expected` everywhere, and
/// reports the largest error when it is not.
func expectClose(_ got: Tensor?, _ expected: Tensor, absolute: Float = 1e-5, relative: Float = 1e-5,
                 _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    guard let got else {
        Issue.record("\(label): no tensor, expected shape \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    #expect(got.shape == expected.shape, "\(label): shape", sourceLocation: sourceLocation)
    guard got.shape == expected.shape else { return }
    var worst = 0, worstExcess: Float = -.infinity
    for i in got.storage.indices {
        let excess = abs(got.storage[i] - expected.storage[i]) - (absolute + relative * abs(expected.storage[i]))
        if excess > worstExcess || excess.isNaN { worstExcess = excess.isNaN ? .infinity : excess; worst = i }
    }
    #expect(worstExcess <= 0,
            "\(label): element \(worst) is \(got.storage[worst]), expected \(expected.storage[worst]); largest |error| = \(largestError(got, expected))",
            sourceLocation: sourceLocation)
}
