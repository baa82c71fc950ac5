import Testing
@testable import Attention

/// The separable DFT against hand-computed transforms.
struct DiscreteFourierTransformTests {
    @Test func impulseAtOriginIsFlat() {
        var real = [Double](repeating: 0, count: 16)
        real[0] = 1
        let spectrum = DiscreteFourierTransform(height: 4, width: 4).forward(real: real, imaginary: [Double](repeating: 0, count: 16))
        #expect(spectrum.real.allSatisfy { abs($0 - 1) < 1e-15 })
        #expect(spectrum.imaginary.allSatisfy { abs($0) < 1e-15 })
    }

    /// An impulse at (y, x) = (1, 2) on 4×4: X[u, v] = e^{−2πi(u/4 + 2v/4)} = (−i)^u · (−1)^v.
    @Test func shiftedImpulseByHand() {
        var real = [Double](repeating: 0, count: 16)
        real[1 * 4 + 2] = 1
        let spectrum = DiscreteFourierTransform(height: 4, width: 4).forward(real: real, imaginary: [Double](repeating: 0, count: 16))
        // (−i)^u for u = 0…3: 1, −i, −1, i.
        let powers: [(Double, Double)] = [(1, 0), (0, -1), (-1, 0), (0, 1)]
        for u in 0..<4 {
            for v in 0..<4 {
                let sign: Double = v % 2 == 0 ? 1 : -1
                let (re, im) = (powers[u].0 * sign, powers[u].1 * sign)
                #expect(abs(spectrum.real[u * 4 + v] - re) < 1e-14 && abs(spectrum.imaginary[u * 4 + v] - im) < 1e-14,
                        "X[\(u), \(v)] = \(spectrum.real[u * 4 + v]) + \(spectrum.imaginary[u * 4 + v])i, expected \(re) + \(im)i")
            }
        }
    }

    @Test func constantHasOnlyDirectCurrent() {
        let spectrum = DiscreteFourierTransform(height: 4, width: 4)
            .forward(real: [Double](repeating: 0.25, count: 16), imaginary: [Double](repeating: 0, count: 16))
        #expect(abs(spectrum.real[0] - 4) < 1e-14)
        #expect(spectrum.real.dropFirst().allSatisfy { abs($0) < 1e-14 })
        #expect(spectrum.imaginary.allSatisfy { abs($0) < 1e-14 })
    }

    /// 1×3 row [1, 2, 3]: X = [6, −1.5 + i·√3/2, −1.5 − i·√3/2].
    @Test func threePointRowByHand() {
        let spectrum = DiscreteFourierTransform(height: 1, width: 3).forward(real: [1, 2, 3], imaginary: [0, 0, 0])
        let half = 3.0.squareRoot() / 2
        #expect(zip(spectrum.real, [6, -1.5, -1.5]).allSatisfy { abs($0 - $1) < 1e-14 })
        #expect(zip(spectrum.imaginary, [0, half, -half]).allSatisfy { abs($0 - $1) < 1e-14 })
    }

    @Test func inverseUndoesForwardOnOddSizes() {
        let (h, w) = (5, 7)
        let real = (0..<(h * w)).map { Double(($0 * 37) % 11) / 11 - 0.3 }
        let imaginary = (0..<(h * w)).map { Double(($0 * 13) % 7) / 7 }
        let transform = DiscreteFourierTransform(height: h, width: w)
        let spectrum = transform.forward(real: real, imaginary: imaginary)
        let back = transform.inverse(real: spectrum.real, imaginary: spectrum.imaginary)
        let error = zip(back.real + back.imaginary, real + imaginary).map { abs($0 - $1) }.max()!
        #expect(error < 1e-13, "largest |inverse(forward(x)) − x| = \(error)")
    }
}
