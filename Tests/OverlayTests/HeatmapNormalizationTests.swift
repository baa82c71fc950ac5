import Testing
import TensorCore
@testable import Overlay

struct HeatmapNormalizationTests {
    struct Percentile: Decodable { let q: Double; let value: Double }
    struct Normalized: Decodable { let low: Double; let high: Double; let values: [Double] }
    struct Case: Decodable { let values: [Float]; let percentiles: [Percentile]; let normalized: [Normalized] }
    struct File: Decodable { let cases: [Case] }

    @Test func minMaxByHand() {
        let map = Tensor(shape: [2, 2], storage: [2, 4, 6, 10])
        #expect(HeatmapNormalization.minMax.apply(map).storage == [0, 0.25, 0.5, 1])
        #expect(HeatmapNormalization.minMax.apply(map).shape == [2, 2])
    }

    @Test func constantMapBecomesZeros() {
        let map = Tensor(shape: [3], storage: [0.7, 0.7, 0.7])
        #expect(HeatmapNormalization.minMax.apply(map).storage == [0, 0, 0])
        #expect(HeatmapNormalization.percentile(low: 2, high: 98).apply(map).storage == [0, 0, 0])
    }

    @Test func nanIsSkippedAndKept() {
        let map = Tensor(shape: [4], storage: [1, .nan, 3, 5])
        let out = HeatmapNormalization.minMax.apply(map).storage
        #expect(out[0] == 0 && out[2] == 0.5 && out[3] == 1)
        #expect(out[1].isNaN)
        #expect(HeatmapNormalization.minMax.range(of: [.nan, .nan]) == nil)
    }

    @Test func fixedRangeClips() {
        let map = Tensor(shape: [4], storage: [-1, 0.25, 0.5, 3])
        #expect(HeatmapNormalization.fixed(low: 0, high: 1).apply(map).storage == [0, 0.25, 0.5, 1])
    }

    @Test func percentileByHand() {
        // numpy: np.percentile([1, 2, 3, 4], 50) == 2.5; 25 -> 1.75; 100 -> 4.
        let values: [Float] = [4, 1, 3, 2]
        #expect(HeatmapNormalization.percentile(50, of: values) == 2.5)
        #expect(HeatmapNormalization.percentile(25, of: values) == 1.75)
        #expect(HeatmapNormalization.percentile(0, of: values) == 1)
        #expect(HeatmapNormalization.percentile(100, of: values) == 4)
        #expect(HeatmapNormalization.percentile(50, of: []) == nil)
    }

    @Test func percentilesMatchNumpy() throws {
        let file = try Fixture.load("percentile.json", as: File.self)
        #expect(file.cases.count == 4)
        for c in file.cases {
            for p in c.percentiles {
                let got = try #require(HeatmapNormalization.percentile(p.q, of: c.values))
                #expect(abs(Double(got) - p.value) <= 1e-6 * max(1, abs(p.value)),
                        "n=\(c.values.count) q=\(p.q): got \(got), numpy \(p.value)")
            }
        }
    }

    @Test func percentileClippingMatchesNumpy() throws {
        let file = try Fixture.load("percentile.json", as: File.self)
        for c in file.cases {
            for n in c.normalized {
                let got = HeatmapNormalization.percentile(low: n.low, high: n.high)
                    .apply(Tensor(shape: [c.values.count], storage: c.values)).storage
                let difference = maxDifference(got, n.values.map { Float($0) })
                #expect(difference <= 2e-6, "n=\(c.values.count) \(n.low)–\(n.high): max difference \(difference)")
            }
        }
    }
}
