import Foundation
import Testing
import TensorCore
@testable import Attention

@Suite struct CoordinateAttentionTests {
    /// CoordAtt.forward transcribed, with BatchNorm applied after conv1 (not folded).
    static func reference(_ x: Tensor, conv1: Tensor, conv1Bias: Tensor, bn: [Tensor], convH: Linear, convW: Linear)
        -> (Tensor, Tensor, Tensor) {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let mip = conv1.shape[0]
        var output = Tensor(shape: x.shape), aH = Tensor(shape: [b, c, h, 1]), aW = Tensor(shape: [b, c, 1, w])
        for batch in 0..<b {
            // y = cat([pool_h(x), pool_w(x).permute]) : [C, H + W]
            var y = [[Double]](repeating: [], count: h + w)
            for i in 0..<h { y[i] = (0..<c).map { ch in (0..<w).reduce(0.0) { $0 + Double(x[batch, ch, i, $1]) } / Double(w) } }
            for j in 0..<w { y[h + j] = (0..<c).map { ch in (0..<h).reduce(0.0) { $0 + Double(x[batch, ch, $1, j]) } / Double(h) } }
            var mid = NaiveReference.linear(y, weight: conv1.reshaped([mip, c]), bias: conv1Bias)
            for t in mid.indices {
                for m in 0..<mip {
                    let normalised = (mid[t][m] - Double(bn[2].storage[m])) / (Double(bn[3].storage[m]) + 1e-5).squareRoot()
                        * Double(bn[0].storage[m]) + Double(bn[1].storage[m])
                    mid[t][m] = normalised * min(max(normalised + 3, 0), 6) / 6
                }
            }
            let sigmoid = { (v: Double) in 1 / (1 + exp(-v)) }
            let gateH = NaiveReference.linear(Array(mid[0..<h]), weight: convH.weight, bias: convH.bias).map { $0.map(sigmoid) }
            let gateW = NaiveReference.linear(Array(mid[h...]), weight: convW.weight, bias: convW.bias).map { $0.map(sigmoid) }
            for ch in 0..<c {
                for i in 0..<h { aH[batch, ch, i, 0] = Float(gateH[i][ch]) }
                for j in 0..<w { aW[batch, ch, 0, j] = Float(gateW[j][ch]) }
                for i in 0..<h { for j in 0..<w {
                    output[batch, ch, i, j] = Float(Double(x[batch, ch, i, j]) * gateW[j][ch] * gateH[i][ch])
                } }
            }
        }
        return (output, aH, aW)
    }

    static func weights(channels c: Int, reduction: Int, seed: UInt64) -> WeightSet {
        let mip = max(8, c / reduction)
        return WeightSet(tensors: [
            "conv1.weight": randomTensor([mip, c, 1, 1], seed: seed), "conv1.bias": randomTensor([mip], seed: seed + 1),
            "bn1.weight": randomTensor([mip], seed: seed + 2), "bn1.bias": randomTensor([mip], seed: seed + 3),
            "bn1.running_mean": randomTensor([mip], seed: seed + 4, scale: 0.3),
            "bn1.running_var": Tensor(shape: [mip], storage: randomTensor([mip], seed: seed + 5).storage.map { 0.5 + abs($0) }),
            "bn1.num_batches_tracked": Tensor(shape: [], storage: [7]),
            "conv_h.weight": randomTensor([c, mip, 1, 1], seed: seed + 6), "conv_h.bias": randomTensor([c], seed: seed + 7),
            "conv_w.weight": randomTensor([c, mip, 1, 1], seed: seed + 8), "conv_w.bias": randomTensor([c], seed: seed + 9),
        ], metadata: ["module": "coordinate_attention", "reduction": "\(reduction)"])
    }

    @Test func handComputedZeroGatesHalveTwice() throws {
        // All gate weights and biases zero: a_h = a_w = σ(0) = ½, so out = x / 4.
        let mip = 8
        let layer = CoordinateAttention(
            reduce: Linear(weight: randomTensor([mip, 2], seed: 1), bias: nil),
            convHeight: Linear(weight: Tensor(shape: [2, mip]), bias: Tensor(shape: [2])),
            convWidth: Linear(weight: Tensor(shape: [2, mip]), bias: Tensor(shape: [2])))
        let x = randomTensor([1, 2, 3, 5], seed: 2)
        let result = try layer(x)
        #expect(result.output == Tensor(shape: x.shape, storage: x.storage.map { $0 / 4 }))
        #expect(result.heightAttention == Tensor(shape: [1, 2, 3, 1], repeating: 0.5))
        #expect(result.widthAttention == Tensor(shape: [1, 2, 1, 5], repeating: 0.5))
    }

    @Test(arguments: [(16, 32, 4, 6), (32, 2, 5, 5), (12, 4, 1, 7)])
    func matchesCoordAttTranscription(channels: Int, reduction: Int, height: Int, width: Int) throws {
        var weights = Self.weights(channels: channels, reduction: reduction, seed: 100)
        let layer = try CoordinateAttention(loading: &weights)
        #expect(layer.hiddenDimension == max(8, channels / reduction))
        #expect(weights.unusedNames.isEmpty)
        let t = weights.tensors
        let x = randomTensor([2, channels, height, width], seed: 101, scale: 3)
        let (output, aH, aW) = Self.reference(
            x, conv1: t["conv1.weight"]!, conv1Bias: t["conv1.bias"]!,
            bn: ["bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"].map { t[$0]! },
            convH: Linear(weight: t["conv_h.weight"]!.reshaped([channels, layer.hiddenDimension]), bias: t["conv_h.bias"]!),
            convW: Linear(weight: t["conv_w.weight"]!.reshaped([channels, layer.hiddenDimension]), bias: t["conv_w.bias"]!))
        let result = try layer(x)
        expectClose(result.output, output, "output")
        expectClose(result.heightAttention, aH, "a_h")
        expectClose(result.widthAttention, aW, "a_w")
    }

    @Test func hiddenSizeFollowsReduction() {
        // C = 64, reduction 4 -> mip 16; a conv1 with 8 outputs is the wrong shape.
        var weights = Self.weights(channels: 64, reduction: 8, seed: 1)
        weights.metadata["reduction"] = "4"
        #expect(throws: AttentionError.shapeMismatch(name: "conv1.weight", expected: [16, 64, 1, 1], got: [8, 64, 1, 1])) {
            _ = try CoordinateAttention(weights: weights)
        }
    }
}
