import CVectorKernels
import Foundation
import Testing
import TensorCore
@testable import Attention

/// `CVectorKernels_axialAttendLimited` in every variant (portable, AVX2, AVX-512; a variant
/// the CPU lacks runs the next one down) against softmax(q·kᵀ)·v computed here in Float64.
@Suite struct AxialKernelTests {
    /// Instruction-set limits: 0 portable, 1 AVX2+FMA, 2 AVX-512F.
    static let limits: [Int32] = [0, 1, 2]

    /// Random planes in [-2, 2) (q, k) and [-1, 1) (v) from a fixed seed.
    static func planes(_ count: Int, seed: UInt64, scale: Double) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float((Double.random(in: 0..<1, using: &generator) * 2 - 1) * scale) }
    }

    /// Runs one axis of a heads·e-plane grid and checks every output and weight.
    func check(height: Int, width: Int, heads: Int, e: Int, axis: Int32, limit: Int32) throws {
        let pixels = height * width
        let stride = pixels + 7, outStride = pixels + 3
        let planeCount = heads * e
        // 32 floats of slack after the last plane: vector loads of a partial block may touch it.
        let q = Self.planes(planeCount * stride + 32, seed: 1, scale: 2)
        let k = Self.planes(planeCount * stride + 32, seed: 2, scale: 2)
        let v = Self.planes(planeCount * stride + 32, seed: 3, scale: 1)
        let sentinel: Float = 12345
        var out = [Float](repeating: .nan, count: planeCount * outStride)
        for plane in 0..<planeCount {
            for slack in pixels..<outStride { out[plane * outStride + slack] = sentinel }
        }
        let (sequences, length) = axis == 0 ? (width, height) : (height, width)
        var scores = [Float](repeating: .nan, count: sequences * heads * length * length)
        var workspace = [Float](repeating: 0, count: CVectorKernels_axialWorkspace(height, width, axis))
        let units = CVectorKernels_axialUnits(height, width, axis, limit)
        // Two calls on disjoint unit ranges, as two workers would make them.
        for range in [0..<units / 2, units / 2..<units] {
            let handled = CVectorKernels_axialAttendLimited(
                q, k, v, stride, &out, outStride, height, width, heads, e, axis, range.lowerBound, range.upperBound,
                &scores, &workspace, limit)
            try #require(handled == 1)
        }
        var worstOutput = 0.0, worstWeight = 0.0
        for sequence in 0..<sequences {
            let pixel = { (token: Int) in axis == 0 ? token * width + sequence : sequence * width + token }
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
                        let got = Double(scores[((sequence * heads + head) * length + i) * length + j])
                        worstWeight = max(worstWeight, abs(got - weights[j] / total))
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
        #expect(worstOutput < 2e-6, "output error \(worstOutput), limit \(limit), axis \(axis), \(height)×\(width), e \(e)")
        #expect(worstWeight < 2e-6, "weight error \(worstWeight), limit \(limit), axis \(axis), \(height)×\(width), e \(e)")
        for plane in 0..<planeCount {
            for slack in pixels..<outStride {
                #expect(out[plane * outStride + slack] == sentinel, "wrote past plane \(plane)")
            }
        }
    }

    @Test(arguments: [1, 7, 63, 64, 65, 100], [1, 4, 8, 16])
    func heightAxisMatchesFloat64(length: Int, e: Int) throws {
        // 19 columns: one full block of 16 (or two of 8) and a partial one.
        for limit in Self.limits {
            try check(height: length, width: 19, heads: 2, e: e, axis: 0, limit: limit)
        }
    }

    @Test(arguments: [1, 7, 63, 64, 65, 100], [1, 4, 8, 16])
    func widthAxisMatchesFloat64(length: Int, e: Int) throws {
        for limit in Self.limits {
            try check(height: 3, width: length, heads: 2, e: e, axis: 1, limit: limit)
        }
    }

    @Test func oddHeadSizesAndShortGrids() throws {
        for (height, width, e) in [(5, 3, 3), (2, 33, 9), (33, 2, 13), (1, 1, 2)] {
            for axis: Int32 in [0, 1] {
                for limit in Self.limits {
                    try check(height: height, width: width, heads: 3, e: e, axis: axis, limit: limit)
                }
            }
        }
    }

    @Test func rejectsWideHeadsUntouched() {
        var out: [Float] = [7]
        let input: [Float] = [1]
        var workspace = [Float](repeating: 0, count: 64)
        #expect(CVectorKernels_axialAttend(input, input, input, 1, &out, 1, 1, 1, 1, 17, 0, 0, 1, nil, &workspace) == 0)
        #expect(CVectorKernels_axialAttend(input, input, input, 1, &out, 1, 1, 1, 1, 0, 1, 0, 1, nil, &workspace) == 0)
        #expect(out == [7])
    }

    @Test func nanScoreGivesNaNRowAsTorch() throws {
        // One sequence of 3 tokens along the width, one head of 1 channel; key 1 is NaN.
        let q: [Float] = [1, 1, 1] + [Float](repeating: 0, count: 32)
        let k: [Float] = [0.5, .nan, 0.25] + [Float](repeating: 0, count: 32)
        let v: [Float] = [1, 2, 3] + [Float](repeating: 0, count: 32)
        for limit in Self.limits {
            var out = [Float](repeating: 0, count: 3)
            var scores = [Float](repeating: 0, count: 9)
            var workspace = [Float](repeating: 0, count: CVectorKernels_axialWorkspace(1, 3, 1))
            _ = CVectorKernels_axialAttendLimited(q, k, v, 3, &out, 3, 1, 3, 1, 1, 1, 0, 1, &scores, &workspace, limit)
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
