import CVectorKernels
import Foundation
import Testing
import TensorCore
@testable import Attention

/// `CVectorKernels_axialAttendLimited` in every variant (portable, AVX2, AVX-512; a variant
/// the CPU lacks runs the next one down) against softmax(q·kᵀ)·v computed here in Float64,
/// and the plane transposes the height axis goes through.
@Suite struct AxialKernelTests {
    /// Instruction-set limits: 0 portable, 1 AVX2+FMA, 2 AVX-512F.
    static let limits: [Int32] = [0, 1, 2]

    /// Random planes in [-2, 2) (q, k) and [-1, 1) (v) from a fixed seed.
    static func planes(_ count: Int, seed: UInt64, scale: Double) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float((Double.random(in: 0..<1, using: &generator) * 2 - 1) * scale) }
    }

    /// Runs the rows of a heads·e-plane grid [rows, length] and checks every output and weight.
    func check(rows: Int, length: Int, heads: Int, e: Int, limit: Int32) throws {
        let pixels = rows * length
        let stride = pixels + 7, outStride = pixels + 3
        let planeCount = heads * e
        let q = Self.planes(planeCount * stride, seed: 1, scale: 2)
        let k = Self.planes(planeCount * stride, seed: 2, scale: 2)
        let v = Self.planes(planeCount * stride, seed: 3, scale: 1)
        let sentinel: Float = 12345
        var out = [Float](repeating: .nan, count: planeCount * outStride)
        for plane in 0..<planeCount {
            for slack in pixels..<outStride { out[plane * outStride + slack] = sentinel }
        }
        var scores = [Float](repeating: .nan, count: rows * heads * length * length)
        var workspace = [Float](repeating: 0, count: CVectorKernels_axialWorkspace(length))
        // Two calls on disjoint row ranges, as two workers would make them.
        for range in [0..<rows / 2, rows / 2..<rows] {
            let handled = CVectorKernels_axialAttendLimited(
                q, k, v, stride, &out, outStride, length, heads, e, range.lowerBound, range.upperBound, &scores,
                &workspace, limit)
            try #require(handled == 1)
        }
        var worstOutput = 0.0, worstWeight = 0.0
        for row in 0..<rows {
            let pixel = { (token: Int) in row * length + token }
            for head in 0..<heads {
                for i in 0..<length {
                    var weights = (0..<length).map { j in
                        (0..<e).reduce(0.0) { sum, t in
                            let plane = (head * e + t) * stride
                            return sum + Double(q[plane + pixel(i)]) * Double(k[plane + pixel(j)])
                        }
                    }
                    let largest = weights.max()!
                    weights = weights.map { Foundation.exp($0 - largest) }
                    let total = weights.reduce(0, +)
                    for j in 0..<length {
                        let got = Double(scores[((row * heads + head) * length + i) * length + j])
                        worstWeight = max(worstWeight, got.isNaN ? .infinity : abs(got - weights[j] / total))
                    }
                    for t in 0..<e {
                        let plane = (head * e + t) * stride
                        let expected = (0..<length).reduce(0.0) { $0 + weights[$1] / total * Double(v[plane + pixel($1)]) }
                        let got = Double(out[(head * e + t) * outStride + pixel(i)])
                        worstOutput = max(worstOutput, got.isNaN ? .infinity : abs(got - expected))
                    }
                }
            }
        }
        #expect(worstOutput < 2e-6, "output error \(worstOutput), limit \(limit), \(rows)×\(length), e \(e)")
        #expect(worstWeight < 2e-6, "weight error \(worstWeight), limit \(limit), \(rows)×\(length), e \(e)")
        for plane in 0..<planeCount {
            for slack in pixels..<outStride {
                #expect(out[plane * outStride + slack] == sentinel, "wrote past plane \(plane)")
            }
        }
    }

    @Test(arguments: [1, 7, 63, 64, 65, 100], [1, 4, 8, 16])
    func rowsMatchFloat64(length: Int, e: Int) throws {
        // Lengths around the 16- and 8-lane blocks and the pairs of blocks.
        for limit in Self.limits {
            try check(rows: 3, length: length, heads: 2, e: e, limit: limit)
        }
    }

    @Test func oddHeadSizesAndRowCounts() throws {
        for (rows, length, e) in [(5, 3, 3), (2, 33, 9), (33, 2, 13), (1, 1, 2), (4, 17, 5)] {
            for limit in Self.limits {
                try check(rows: rows, length: length, heads: 3, e: e, limit: limit)
            }
        }
    }

    @Test func rejectsWideHeadsUntouched() {
        var out: [Float] = [7]
        let input: [Float] = [1]
        var workspace = [Float](repeating: 0, count: 64)
        #expect(CVectorKernels_axialAttend(input, input, input, 1, &out, 1, 1, 1, 17, 0, 1, nil, &workspace) == 0)
        #expect(CVectorKernels_axialAttend(input, input, input, 1, &out, 1, 1, 1, 0, 0, 1, nil, &workspace) == 0)
        #expect(out == [7])
    }

    @Test func handComputedRow() throws {
        // One row of 2 tokens, one head of 1 channel: q = [1, 2], k = [1, 2], v = [10, 20].
        // Query 0 scores [1, 2], query 1 [2, 4]: weights of key 0 are 1/(1+e) and 1/(1+e²).
        let (q, k, v): ([Float], [Float], [Float]) = ([1, 2], [1, 2], [10, 20])
        let (p0, p1) = (1 / (1 + Foundation.exp(1.0)), 1 / (1 + Foundation.exp(2.0)))
        for limit in Self.limits {
            var out = [Float](repeating: 0, count: 2)
            var scores = [Float](repeating: 0, count: 4)
            var workspace = [Float](repeating: 0, count: CVectorKernels_axialWorkspace(2))
            _ = CVectorKernels_axialAttendLimited(q, k, v, 2, &out, 2, 2, 1, 1, 0, 1, &scores, &workspace, limit)
            let expected = [p0, 1 - p0, p1, 1 - p1]
            for (got, want) in zip(scores, expected) { #expect(abs(Double(got) - want) < 1e-7, "limit \(limit)") }
            #expect(abs(Double(out[0]) - (10 * p0 + 20 * (1 - p0))) < 1e-5, "limit \(limit)")
            #expect(abs(Double(out[1]) - (10 * p1 + 20 * (1 - p1))) < 1e-5, "limit \(limit)")
        }
    }

    @Test func nanScoreGivesNaNRowAsTorch() throws {
        // One row of 3 tokens, one head of 1 channel; key 1 is NaN.
        let q: [Float] = [1, 1, 1]
        let k: [Float] = [0.5, .nan, 0.25]
        let v: [Float] = [1, 2, 3]
        for limit in Self.limits {
            var out = [Float](repeating: 0, count: 3)
            var scores = [Float](repeating: 0, count: 9)
            var workspace = [Float](repeating: 0, count: CVectorKernels_axialWorkspace(3))
            _ = CVectorKernels_axialAttendLimited(q, k, v, 3, &out, 3, 3, 1, 1, 0, 1, &scores, &workspace, limit)
            #expect(out.allSatisfy { $0.isNaN }, "limit \(limit): \(out)")
            #expect(scores.allSatisfy { $0.isNaN }, "limit \(limit): \(scores)")
        }
    }

    @Test(arguments: [(64, 64), (16, 16), (17, 33), (1, 5), (40, 3), (100, 19)])
    func transposesPlanesInEveryVariant(rows: Int, columns: Int) {
        let (sourceStride, targetStride, planes) = (rows * columns + 7, rows * columns + 5, 3)
        let source = (0..<planes * sourceStride).map(Float.init)
        for limit: Int32 in [0, 2] {
            var target = [Float](repeating: -1, count: planes * targetStride)
            CVectorKernels_transposePlanesLimited(source, sourceStride, &target, targetStride, planes, rows, columns, limit)
            var wrong = 0
            for plane in 0..<planes {
                for i in 0..<rows {
                    for j in 0..<columns where target[plane * targetStride + j * rows + i] != source[plane * sourceStride + i * columns + j] {
                        wrong += 1
                    }
                }
                for slack in rows * columns..<targetStride where target[plane * targetStride + slack] != -1 { wrong += 1 }
            }
            #expect(wrong == 0, "limit \(limit), \(rows)×\(columns)")
        }
    }
}
