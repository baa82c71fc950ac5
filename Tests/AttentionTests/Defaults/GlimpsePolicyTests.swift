#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TensorCore
@testable import Attention

/// Glimpse locations: greedy with inhibition of return, seeded noise, given lists.
struct GlimpsePolicyTests {
    /// 3×4 map, maximum 9 at (row 1, column 2), then 8 at (0, 3) right next to it, 7 at (2, 0).
    static let map = Tensor(shape: [3, 4], storage: [1, 2, 3, 8,
                                                    4, 5, 9, 6,
                                                    7, 0, 1, 2])

    /// Centres: x = (2j + 1)/4 − 1, y = (2i + 1)/3 − 1. The first pick is 9 at (0.25, 0).
    /// A radius of 0.6 suppresses (1, 1) and (1, 3) (distance 0.5) but not (0, 3) (distance
    /// √(0.5² + (2/3)²) ≈ 0.83), so the second pick is 8 at (0.75, −2/3); it suppresses
    /// (0, 2) (distance 0.5), and the third is 7 at (−0.75, 2/3).
    @Test func greedyByHand() {
        let locations = GlimpsePolicy(.greedy).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        let expected: [(Double, Double)] = [(0.25, 0), (0.75, -2.0 / 3), (-0.75, 2.0 / 3)]
        #expect(locations.count == 3)
        for (got, want) in zip(locations, expected) {
            #expect(abs(got.x - want.0) < 1e-12 && abs(got.y - want.1) < 1e-12, "\(got) vs \(want)")
        }
    }

    /// With radius 0.9 the 8 at distance 0.83 is suppressed too; the second pick is 7 at (2, 0).
    @Test func inhibitionRadiusSuppressesNeighbours() {
        let locations = GlimpsePolicy(.greedy).locations(saliency: Self.map, count: 2, inhibitionRadius: 0.9)
        #expect(abs(locations[1].x + 0.75) < 1e-12 && abs(locations[1].y - 2.0 / 3) < 1e-12, "\(locations)")
    }

    /// More glimpses than pixels: inhibition wears off, then the sequence repeats.
    @Test func moreGlimpsesThanPixels() {
        let map = Tensor(shape: [1, 2], storage: [1, 3])
        let locations = GlimpsePolicy(.greedy).locations(saliency: map, count: 5, inhibitionRadius: 5)
        #expect(locations.map(\.x) == [0.5, -0.5, 0.5, -0.5, 0.5])
    }

    /// On the saliency of a bright square on a dark noisy texture the first glimpse lands on
    /// the square (pixels 24…39 of 128 across, 56…71 of 96 down), and later ones keep
    /// their distance.
    @Test func saliencyGlimpsesFindTheObjectFirst() {
        let image = SyntheticImages.brightSquareOnTexture(height: 96, width: 128, top: 56, left: 24, side: 16)
        let saliency = WeightFreeDefaults.saliency(image: image)
        let locations = GlimpsePolicy(.greedy).locations(saliency: saliency, count: 4, inhibitionRadius: 0.3)
        let first = locations[0]
        let pixel = ((first.x + 1) / 2 * 128, (first.y + 1) / 2 * 96)
        #expect((24.0...40.0).contains(pixel.0) && (56.0...72.0).contains(pixel.1), "first glimpse at pixel \(pixel)")
        for i in locations.indices {
            for j in locations.indices where j > i {
                let distance = ((locations[i].x - locations[j].x) * (locations[i].x - locations[j].x)
                                + (locations[i].y - locations[j].y) * (locations[i].y - locations[j].y)).squareRoot()
                #expect(distance > 0.3)
            }
        }
    }

    @Test func stochasticIsSeeded() {
        let greedy = GlimpsePolicy(.greedy).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        let a = GlimpsePolicy(.stochastic(standardDeviation: 0.1, seed: 42)).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        let b = GlimpsePolicy(.stochastic(standardDeviation: 0.1, seed: 42)).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        let c = GlimpsePolicy(.stochastic(standardDeviation: 0.1, seed: 43)).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        #expect(a.map(\.x) == b.map(\.x) && a.map(\.y) == b.map(\.y))
        #expect(a.map(\.x) != c.map(\.x) && a.map(\.y) != c.map(\.y))
        #expect(a.map(\.x) != greedy.map(\.x))
        // The first noise pair, by hand from SplitMix64(42): Box–Muller on its first two uniforms.
        var generator = SeededGenerator(seed: 42)
        let u1 = (Double(generator.next() >> 11) + 0.5) * 0x1p-53, u2 = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        #expect(abs(a[0].x - (greedy[0].x + 0.1 * radius * cos(2 * Double.pi * u2))) < 1e-12)
        #expect(abs(a[0].y - (greedy[0].y + 0.1 * radius * sin(2 * Double.pi * u2))) < 1e-12)
        let zero = GlimpsePolicy(.stochastic(standardDeviation: 0, seed: 7)).locations(saliency: Self.map, count: 3, inhibitionRadius: 0.6)
        #expect(zero.map(\.x) == greedy.map(\.x) && zero.map(\.y) == greedy.map(\.y))
    }

    @Test func stochasticIsClipped() {
        let wide = GlimpsePolicy(.stochastic(standardDeviation: 50, seed: 1)).locations(saliency: Self.map, count: 12, inhibitionRadius: 0.1)
        #expect(wide.allSatisfy { (-1...1).contains($0.x) && (-1...1).contains($0.y) })
        #expect(wide.contains { abs($0.x) == 1 || abs($0.y) == 1 })
    }

    @Test func splitMixMatchesTheReferenceSequence() {
        // SplitMix64 seeded with 0 starts 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4 (Vigna's splitmix64.c).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func givenListIsReturned() {
        let list: [(x: Double, y: Double)] = [(0.1, -0.2), (0.9, 0.3), (-1, 1)]
        let locations = GlimpsePolicy(.given(list)).locations(saliency: Self.map, count: 2, inhibitionRadius: 0.5)
        #expect(locations.map(\.x) == [0.1, 0.9] && locations.map(\.y) == [-0.2, 0.3])
    }
}
