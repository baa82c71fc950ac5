import Foundation
import Testing
import TensorCore
@testable import Attention

@Suite struct MultiHeadSelfAttentionTests {
    /// timm's forward, transcribed: qkv, q·scale, softmax(q·kᵀ), ·v, heads merged, proj.
    static func reference(_ layer: MultiHeadSelfAttention, _ x: Tensor) -> (Tensor, Tensor) {
        let (b, n, c) = (x.shape[0], x.shape[1], x.shape[2])
        let heads = layer.numHeads
        var output = Tensor(shape: [b, n, c]), attention = Tensor(shape: [b, heads, n, n])
        let rows = NaiveReference.rows(x)
        for batch in 0..<b {
            let tokens = Array(rows[(batch * n)..<((batch + 1) * n)])
            let qkv = NaiveReference.linear(tokens, weight: layer.qkv.weight, bias: layer.qkv.bias)
            let q = qkv.map { Array($0[0..<c]) }, k = qkv.map { Array($0[c..<(2 * c)]) }, v = qkv.map { Array($0[(2 * c)...]) }
            let (merged, weights) = NaiveReference.attention(q: q, k: k, v: v, heads: heads,
                                                             scale: 1 / Double(c / heads).squareRoot())
            let projected = NaiveReference.linear(merged, weight: layer.projection.weight, bias: layer.projection.bias)
            for i in 0..<n {
                for j in 0..<c { output[batch, i, j] = Float(projected[i][j]) }
                for h in 0..<heads { for j in 0..<n { attention[batch, h, i, j] = Float(weights[h][i][j]) } }
            }
        }
        return (output, attention)
    }

    static func layer(dimension c: Int, heads: Int, qkvBias: Bool, seed: UInt64) throws -> MultiHeadSelfAttention {
        try MultiHeadSelfAttention(
            qkv: Linear(weight: randomTensor([3 * c, c], seed: seed), bias: qkvBias ? randomTensor([3 * c], seed: seed + 1) : nil),
            projection: Linear(weight: randomTensor([c, c], seed: seed + 2), bias: randomTensor([c], seed: seed + 3)),
            numHeads: heads)
    }

    @Test func handComputedTwoTokens() throws {
        // C = 1, one head, scale 1: q = x, k = 2x, v = 3x, proj = identity.
        // x = [1, 0]: scores row 0 = [2, 0] -> softmax [e²/(e²+1), 1/(e²+1)]; row 1 = [0, 0] -> [½, ½].
        let layer = try MultiHeadSelfAttention(
            qkv: Linear(weight: Tensor(shape: [3, 1], storage: [1, 2, 3])),
            projection: Linear(weight: Tensor(shape: [1, 1], storage: [1]), bias: Tensor(shape: [1], storage: [0])),
            numHeads: 1)
        let result = try layer(Tensor(shape: [1, 2, 1], storage: [1, 0]), capture: .full)
        let p = Float(exp(2.0) / (exp(2.0) + 1))
        expectClose(result.attention, Tensor(shape: [1, 1, 2, 2], storage: [p, 1 - p, 0.5, 0.5]), "attention")
        expectClose(result.output, Tensor(shape: [1, 2, 1], storage: [3 * p, 1.5]), "output")
    }

    @Test(arguments: [(4, 1, false), (12, 3, true), (16, 4, true)])
    func matchesTimmTranscription(dimension: Int, heads: Int, qkvBias: Bool) throws {
        let layer = try Self.layer(dimension: dimension, heads: heads, qkvBias: qkvBias, seed: 10)
        let x = randomTensor([2, 7, dimension], seed: 11)
        let (output, attention) = Self.reference(layer, x)
        let result = try layer(x, capture: .full)
        expectClose(result.output, output, "output")
        expectClose(result.attention, attention, "attention")
    }

    /// Without maps the layer takes one of three paths by size (fused short-sequence kernel,
    /// one scores block per head, blocks of rows); each must give the `.full` output.
    @Test(arguments: [(9, 8, 2), (300, 96, 2), (1100, 16, 4)])
    func noMapsPathsMatchTheFullPass(_ shape: (tokens: Int, dimension: Int, heads: Int)) throws {
        let layer = try Self.layer(dimension: shape.dimension, heads: shape.heads, qkvBias: true, seed: 30)
        let x = randomTensor([2, shape.tokens, shape.dimension], seed: 31)
        let full = try layer(x, capture: .full)
        let none = try layer(x, capture: .none)
        #expect(none.attention == nil)
        expectClose(none.output, full.output, "output without maps, \(shape)")
    }

    @Test func capturedQueriesAreRowsOfTheFullMapsAndOutputIsUnchanged() throws {
        let layer = try Self.layer(dimension: 8, heads: 2, qkvBias: true, seed: 20)
        let x = randomTensor([2, 9, 8], seed: 21)
        let full = try layer(x, capture: .full)
        let none = try layer(x, capture: .none)
        let picked = try layer(x, capture: .queries([4, 0]))
        #expect(none.attention == nil)
        #expect(none.output == full.output)
        let maps = try #require(full.attention), rows = try #require(picked.attention)
        #expect(rows.shape == [2, 2, 2, 9])
        for batch in 0..<2 { for h in 0..<2 { for (slot, query) in [4, 0].enumerated() { for j in 0..<9 {
            #expect(rows[batch, h, slot, j] == maps[batch, h, query, j])
        } } } }
    }

    @Test func longSequencesAreProcessedInBlocksWithTheSameResult() throws {
        // 1100 tokens: without full maps, 953 query rows are processed at a time.
        let layer = try Self.layer(dimension: 4, heads: 2, qkvBias: false, seed: 30)
        let x = randomTensor([1, 1100, 4], seed: 31, scale: 2)
        #expect(ScaledDotProductAttention.blockRows(length: 1100) < 1100)
        let blocked = try layer(x, capture: .queries([0, 700, 1099]))
        let full = try layer(x, capture: .full)
        // OpenBLAS may order a product's 1100-term sums differently for a 953-row block than
        // for all 1100 rows (its split over threads depends on m), so the outputs agree to the
        // rounding of such sums (~1e-6 here), not bit for bit.
        expectClose(blocked.output, full.output, absolute: 1e-5, relative: 1e-5, "output")
        let maps = try #require(full.attention), rows = try #require(blocked.attention)
        for (slot, query) in [0, 700, 1099].enumerated() { for j in stride(from: 0, to: 1100, by: 7) {
            #expect(rows[0, 1, slot, j] == maps[0, 1, query, j])
        } }
    }

    @Test func rejectsHeadsThatDoNotDivideTheDimensionAndBadInputs() throws {
        #expect(throws: AttentionError.invalidHyperparameter(name: "num_heads", value: "5",
                                                             reason: "must divide the embedding dimension 12")) {
            _ = try Self.layer(dimension: 12, heads: 5, qkvBias: false, seed: 1)
        }
        let layer = try Self.layer(dimension: 4, heads: 2, qkvBias: false, seed: 1)
        #expect(throws: AttentionError.inputShape(name: "input", expected: "[B, N, 4]", got: [1, 3, 5])) {
            _ = try layer(Tensor(shape: [1, 3, 5]))
        }
        #expect(throws: AttentionError.queryOutOfRange(position: 3, count: 3)) {
            _ = try layer(Tensor(shape: [1, 3, 4]), capture: .queries([3]))
        }
    }
}
