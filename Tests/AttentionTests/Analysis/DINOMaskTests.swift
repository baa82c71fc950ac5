import Testing
import TensorCore
@testable import Attention

/// DINO masks against the NumPy transcription of `visualize_attention.py`'s `th_attn`
/// (checked there against the same steps with torch; every cumulative sum is ≥ 1.6e-3 away
/// from the threshold, so Float32 and Float64 readers agree), and by hand.
@Suite struct DINOMaskTests {
    let fixture: AnalysisFixture
    init() throws { fixture = try AnalysisFixture() }

    @Test(arguments: [0.6, 0.9], [1, 2])
    func matchesReference(mass: Double, block: Int) throws {
        let got = try DINOMask(mass: mass)(try fixture.blocks(), layout: AnalysisFixture.layout, block: block)
        let expected = try fixture.mask("mask.mass\(mass).block\(block)")
        #expect(got.shape == expected.shape)
        let wrong = zip(got.storage, expected.storage).filter { $0 != $1 }.count
        #expect(wrong == 0, "mass \(mass) block \(block): \(wrong) of \(expected.storage.count) patches differ")
    }

    @Test func withoutClassToken() throws {
        let got = try DINOMask(mass: 0.6)(try fixture.blocks("noclass."), layout: AnalysisFixture.noClassLayout)
        #expect(got == (try fixture.mask("noclass.mask.mass0.6.block2")))
    }

    /// Weights 0.5, 0.1, 0.3, 0.1 (sum 1). Ascending with ties by index: 0.1 (1), 0.1 (3),
    /// 0.3 (2), 0.5 (0); cumulative 0.1, 0.2, 0.5, 1.0.
    /// mass 0.6: kept where > 0.4 → patches 2 and 0 (they hold 0.8 ≥ 0.6);
    /// mass 0.5: > 0.5 → patch 0 only (0.5 ≥ 0.5); mass 0.85: > 0.15 → 3, 2, 0.
    /// Scaling the weights (here ×3) changes nothing: they are divided by their sum.
    @Test(arguments: [(0.6, [UInt8](arrayLiteral: 1, 0, 1, 0)), (0.5, [1, 0, 0, 0]), (0.85, [1, 0, 1, 1])])
    func byHand(mass: Double, expected: [UInt8]) throws {
        let maps = Tensor(shape: [1, 1, 2, 2], storage: [1.5, 0.3, 0.9, 0.3])
        #expect(try DINOMask(mass: mass)(maps).storage == expected)
    }

    @Test func massOutsideRange() {
        #expect(throws: AnalysisError.mass(1.2)) { try DINOMask(mass: 1.2)(Tensor(shape: [1, 1, 1, 2], repeating: 0.5)) }
    }
}
