import Foundation
import Testing
import TensorCore
@testable import Attention

@Suite struct AxialAttentionTests {
    /// lucidrains' SelfAttention on one permuted sequence: tokens [T, C] -> [T, C], weights [heads][T][T].
    static func axis(_ layer: AxialSelfAttention, _ tokens: [[Double]]) -> ([[Double]], [[[Double]]]) {
        let d = layer.hiddenDimension
        let q = NaiveReference.linear(tokens, weight: layer.toQuery.weight, bias: nil)
        let kv = NaiveReference.linear(tokens, weight: layer.toKeyValue.weight, bias: nil)
        let (merged, weights) = NaiveReference.attention(
            q: q, k: kv.map { Array($0[0..<d]) }, v: kv.map { Array($0[d...]) }, heads: layer.heads,
            scale: 1 / Double(layer.headDimension).squareRoot())
        return (NaiveReference.linear(merged, weight: layer.toOutput.weight, bias: layer.toOutput.bias), weights)
    }

    /// `PermuteToFrom` for one axis of an NCHW grid; returns output and maps
    /// [B, W, heads, H, H] (height) or [B, H, heads, W, W] (width).
    static func reference(_ layer: AxialSelfAttention, _ x: Tensor, alongHeight: Bool) -> (Tensor, Tensor) {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (sequences, length) = alongHeight ? (w, h) : (h, w)
        var output = Tensor(shape: x.shape)
        var maps = Tensor(shape: [b, sequences, layer.heads, length, length])
        for batch in 0..<b {
            for s in 0..<sequences {
                let pixel = { (t: Int) in alongHeight ? (t, s) : (s, t) }
                let tokens = (0..<length).map { t in (0..<c).map { Double(x[batch, $0, pixel(t).0, pixel(t).1]) } }
                let (out, weights) = axis(layer, tokens)
                for t in 0..<length { for channel in 0..<c { output[batch, channel, pixel(t).0, pixel(t).1] = Float(out[t][channel]) } }
                for head in 0..<layer.heads { for i in 0..<length { for j in 0..<length {
                    maps[batch, s, head, i, j] = Float(weights[head][i][j])
                } } }
            }
        }
        return (output, maps)
    }

    static func axisLayer(dimension c: Int, heads: Int, headDimension e: Int, seed: UInt64) -> AxialSelfAttention {
        AxialSelfAttention(toQuery: Linear(weight: randomTensor([heads * e, c], seed: seed)),
                           toKeyValue: Linear(weight: randomTensor([2 * heads * e, c], seed: seed + 1)),
                           toOutput: Linear(weight: randomTensor([c, heads * e], seed: seed + 2),
                                            bias: randomTensor([c], seed: seed + 3)),
                           heads: heads)
    }

    static func layer(dimension c: Int, heads: Int, headDimension e: Int, sum: Bool) throws -> AxialAttention {
        try AxialAttention(heightAttention: axisLayer(dimension: c, heads: heads, headDimension: e, seed: 40),
                           widthAttention: axisLayer(dimension: c, heads: heads, headDimension: e, seed: 50),
                           sumAxialOut: sum)
    }

    @Test func handComputedSingleColumn() throws {
        // C = 1, H = 2, W = 1, one head, e = 1: q = x, k = x, v = x, to_out = identity.
        // Along the height: x = [1, 2]: row 0 scores [1, 2], row 1 [2, 4].
        // Along the width each token attends to itself only: output = x.
        let identity = Linear(weight: Tensor(shape: [1, 1], storage: [1]), bias: Tensor(shape: [1], storage: [0]))
        let axis = AxialSelfAttention(toQuery: Linear(weight: Tensor(shape: [1, 1], storage: [1])),
                                      toKeyValue: Linear(weight: Tensor(shape: [2, 1], storage: [1, 1])),
                                      toOutput: identity, heads: 1)
        let layer = try AxialAttention(heightAttention: axis, widthAttention: axis, sumAxialOut: true)
        let result = try layer(Tensor(shape: [1, 1, 2, 1], storage: [1, 2]), capture: .full)
        let p0 = Float(1 / (1 + exp(1.0))), p1 = Float(1 / (1 + exp(2.0)))  // weight of token 0 for rows 0, 1
        expectClose(result.heightAttention, Tensor(shape: [1, 1, 1, 2, 2], storage: [p0, 1 - p0, p1, 1 - p1]), "height")
        expectClose(result.widthAttention, Tensor(shape: [1, 2, 1, 1, 1], storage: [1, 1]), "width")
        // Sum of both axes, no residual: [p0 + 2(1 − p0) + 1, p1 + 2(1 − p1) + 2].
        expectClose(result.output, Tensor(shape: [1, 1, 2, 1], storage: [2 - p0 + 1, 2 - p1 + 2]), "output")
    }

    @Test(arguments: [(4, 2, 2, true), (6, 3, 4, true), (4, 1, 4, false), (8, 2, 3, false)])
    func matchesLucidrainsTranscription(dimension: Int, heads: Int, headDimension: Int, sum: Bool) throws {
        let layer = try Self.layer(dimension: dimension, heads: heads, headDimension: headDimension, sum: sum)
        let x = randomTensor([2, dimension, 5, 3], seed: 60)
        let (heightOut, heightMaps) = Self.reference(layer.heightAttention, x, alongHeight: true)
        let widthInput = sum ? x : heightOut
        let (widthOut, widthMaps) = Self.reference(layer.widthAttention, widthInput, alongHeight: false)
        let expected = sum
            ? Tensor(shape: x.shape, storage: zip(heightOut.storage, widthOut.storage).map { $0 + $1 })
            : widthOut
        let result = try layer(x, capture: .full)
        expectClose(result.output, expected, "output")
        expectClose(result.heightAttention, heightMaps, "attention.height")
        expectClose(result.widthAttention, widthMaps, "attention.width")
    }

    @Test func capturedQueriesAreRowsOfTheFullMaps() throws {
        let layer = try Self.layer(dimension: 4, heads: 2, headDimension: 2, sum: true)
        let (h, w) = (5, 3)
        let x = randomTensor([2, 4, h, w], seed: 70)
        let full = try layer(x, capture: .full)
        let queries = [0, 7, 14, 7]  // pixels (0, 0), (2, 1), (4, 2), (2, 1)
        let picked = try layer(x, capture: .queries(queries))
        #expect(picked.output == full.output)
        #expect(try layer(x).output == full.output)
        let heightRows = try #require(picked.heightAttention), widthRows = try #require(picked.widthAttention)
        let heightMaps = try #require(full.heightAttention), widthMaps = try #require(full.widthAttention)
        #expect(heightRows.shape == [2, 2, 4, h] && widthRows.shape == [2, 2, 4, w])
        for batch in 0..<2 { for head in 0..<2 { for (slot, pixel) in queries.enumerated() {
            let (y, xx) = (pixel / w, pixel % w)
            for i in 0..<h { #expect(heightRows[batch, head, slot, i] == heightMaps[batch, xx, head, y, i]) }
            for j in 0..<w { #expect(widthRows[batch, head, slot, j] == widthMaps[batch, y, head, xx, j]) }
        } } }
    }

    @Test func loadsContractNamesAndRejectsHeadsNotDividingTheDimension() throws {
        var tensors: [String: Tensor] = [:]
        for index in 0..<2 {
            let axis = Self.axisLayer(dimension: 6, heads: 3, headDimension: 2, seed: UInt64(80 + 10 * index))
            let prefix = "axial_attentions.\(index).fn."
            tensors[prefix + "to_q.weight"] = axis.toQuery.weight
            tensors[prefix + "to_kv.weight"] = axis.toKeyValue.weight
            tensors[prefix + "to_out.weight"] = axis.toOutput.weight
            tensors[prefix + "to_out.bias"] = axis.toOutput.bias
        }
        var weights = WeightSet(tensors: tensors, metadata: ["module": "axial_attention", "heads": "3", "sum_axial_out": "false"])
        let layer = try AxialAttention(loading: &weights)
        #expect(layer.heads == 3 && layer.headDimension == 2 && !layer.sumAxialOut)
        #expect(weights.unusedNames.isEmpty)
        weights.metadata["heads"] = "4"
        #expect(throws: AttentionError.invalidHyperparameter(name: "heads", value: "4", reason: "must divide the dimension 6")) {
            _ = try AxialAttention(weights: weights)
        }
        weights.metadata["heads"] = "3"
        weights.metadata["dim_heads"] = "4"
        #expect(throws: AttentionError.shapeMismatch(name: "axial_attentions.0.fn.to_q.weight", expected: [12, 6], got: [6, 6])) {
            _ = try AxialAttention(weights: weights)
        }
    }
}
