import Foundation
import TensorCore

/// Direct, loop-by-loop transcriptions of the PyTorch reference forward passes, in Double,
/// written without BLAS, strides or layout tricks so that they check the library
/// independently. Indices follow the reference code's own tensors.
enum NaiveReference {
    /// `y = x·Wᵀ + b` on the last dimension. Shape: [R, in] -> [R, out].
    static func linear(_ x: [[Double]], weight: Tensor, bias: Tensor?) -> [[Double]] {
        let (out, input) = (weight.shape[0], weight.shape[1])
        return x.map { row in
            (0..<out).map { o in
                var sum = bias.map { Double($0.storage[o]) } ?? 0
                for i in 0..<input { sum += row[i] * Double(weight.storage[o * input + i]) }
                return sum
            }
        }
    }

    static func softmax(_ row: [Double]) -> [Double] {
        let top = row.max() ?? 0
        let e = row.map { exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// Multi-head attention of one sequence: tokens [T, heads·e] for q, k, v; scores scaled
    /// by `scale`. Returns merged output [T, heads·e] and weights [heads][T][T].
    static func attention(q: [[Double]], k: [[Double]], v: [[Double]], heads: Int, scale: Double)
        -> (output: [[Double]], weights: [[[Double]]]) {
        let t = q.count, d = q.first?.count ?? 0, e = d / heads
        var output = [[Double]](repeating: [Double](repeating: 0, count: d), count: t)
        var weights: [[[Double]]] = []
        for h in 0..<heads {
            var headWeights: [[Double]] = []
            for i in 0..<t {
                let scores = (0..<t).map { j in
                    (0..<e).reduce(0.0) { $0 + q[i][h * e + $1] * k[j][h * e + $1] } * scale
                }
                let p = softmax(scores)
                headWeights.append(p)
                for c in 0..<e { output[i][h * e + c] = (0..<t).reduce(0.0) { $0 + p[$1] * v[$1][h * e + c] } }
            }
            weights.append(headWeights)
        }
        return (output, weights)
    }

    static func rows(_ tensor: Tensor) -> [[Double]] {
        let width = tensor.shape.last!
        return (0..<(tensor.count / width)).map { r in (0..<width).map { Double(tensor.storage[r * width + $0]) } }
    }

    static func tensor(_ rows: [[Double]], shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: rows.flatMap { $0 }.map(Float.init))
    }
}
