import Testing
import TensorCore
@testable import Attention

/// Rollout against the NumPy transcription of vit-explain's method with rows normalised by
/// their own sums (`tools/make_analysis_fixtures.py`, itself checked there against the same
/// steps written with torch), a case where vit-explain's own normalisation gives another
/// map, and a two-token case worked by hand.
@Suite struct AttentionRolloutTests {
    let fixture: AnalysisFixture
    init() throws { fixture = try AnalysisFixture() }

    @Test(arguments: AttentionRollout.HeadFusion.allCases, [0.0, 0.9])
    func matchesReference(fusion: AttentionRollout.HeadFusion, discard: Double) throws {
        let got = try AttentionRollout(headFusion: fusion, discardRatio: discard)(try fixture.blocks(), layout: AnalysisFixture.layout)
        expectClose(got, try fixture.tensor("rollout.\(fusion.rawValue).discard\(discard)"),
                    absolute: 1e-6, relative: 1e-5, "rollout \(fusion) discard \(discard)")
    }

    @Test(arguments: [AttentionRollout.HeadFusion.mean, .max])
    func withoutClassTokenMeanOfPatchRows(fusion: AttentionRollout.HeadFusion) throws {
        let got = try AttentionRollout(headFusion: fusion, discardRatio: 0.9)(try fixture.blocks("noclass."),
                                                                              layout: AnalysisFixture.noClassLayout)
        expectClose(got, try fixture.tensor("noclass.rollout.\(fusion.rawValue).discard0.9"),
                    absolute: 1e-6, relative: 1e-5, "no class token, \(fusion)")
    }

    /// vit-explain divides column j by the sum of row j; with max fusion and discard 0.9 its
    /// map differs from the correct one even after both are divided by their maxima.
    @Test func notVitExplainsNormalisation() throws {
        let got = try AttentionRollout(headFusion: .max, discardRatio: 0.9)(try fixture.blocks("bug."), layout: AnalysisFixture.plainLayout)
        let correct = try fixture.tensor("bug.correct")
        let buggy = try fixture.tensor("bug.vit_explain")
        expectClose(got.reshaped(correct.shape), correct, absolute: 1e-6, relative: 1e-5, "correct rollout")
        let scaled = { (t: Tensor) in t.storage.map { $0 / t.storage.max()! } }
        let difference = zip(scaled(got), scaled(buggy)).map { abs($0 - $1) }.max()!
        #expect(difference > 0.05, "the map equals vit-explain's column-normalised one (largest difference \(difference))")
    }

    /// Two tokens (class, one patch), one head, two blocks:
    /// A₁ = [[0.6, 0.4], [0.3, 0.7]], A₂ = [[0.9, 0.1], [0.4, 0.6]].
    /// No discard: Â₁ = [[0.8, 0.2], [0.15, 0.85]], Â₂ = [[0.95, 0.05], [0.2, 0.8]];
    /// class row of Â₂·Â₁ = [0.95·0.8 + 0.05·0.15, 0.95·0.2 + 0.05·0.85] = [0.7675, 0.2325].
    /// Discard 0.25 (⌊4·0.25⌋ = 1 entry per block): A₁ loses 0.3 → ½(A₁+I) = [[0.8, 0.2], [0, 0.85]]
    /// → rows [[0.8, 0.2], [0, 1]]; A₂ loses 0.1 → [[0.95, 0], [0.2, 0.8]] → rows [[1, 0], [0.2, 0.8]];
    /// class row of the product = [0.8, 0.2].
    /// Discard 0.5 (2 entries): A₁ loses 0.3 and 0.4, A₂ 0.1 and 0.4 → both identity → 0.
    /// Discard 0.75 (3 entries): in A₁ the 3 smallest are 0.3, 0.4 and 0.6 = entry (0, 0),
    /// which is kept → [[0.6, 0], [0, 0.7]]; in A₂ 0.1, 0.4, 0.6 → [[0.9, 0], [0, 0]]; both
    /// give identity rows → 0. (Were (0, 0) not protected, A₁ would still be diagonal; the
    /// protection is exercised by the fixture, where (0, 0) falls among the discarded.)
    @Test(arguments: [(0.0, Float(0.2325)), (0.25, 0.2), (0.5, 0), (0.75, 0)])
    func twoTokensByHand(discard: Double, expected: Float) throws {
        let blocks = [Tensor(shape: [1, 1, 2, 2], storage: [0.6, 0.4, 0.3, 0.7]),
                      Tensor(shape: [1, 1, 2, 2], storage: [0.9, 0.1, 0.4, 0.6])]
        let layout = TokenLayout(rows: 1, columns: 1)
        for fusion in AttentionRollout.HeadFusion.allCases {
            let got = try AttentionRollout(headFusion: fusion, discardRatio: discard)(blocks, layout: layout)
            expectClose(got, Tensor(shape: [1, 1, 1], storage: [expected]), absolute: 1e-6, relative: 0,
                        "discard \(discard) \(fusion)")
        }
    }

    /// Ties at the discard boundary go by index. No class token, 2 patches (1×2), one block
    /// A = all 0.5, discard 0.5 (2 entries): entries 0 and 1 are zeroed → A + I =
    /// [[1, 0], [0.5, 1.5]] → rows [[1, 0], [0.25, 0.75]]; the mean of the patch rows is
    /// [0.625, 0.375] (zeroing entries 2 and 3 instead would give [0.375, 0.625]).
    @Test func discardTiesByIndex() throws {
        let blocks = [Tensor(shape: [1, 1, 2, 2], repeating: 0.5)]
        let layout = TokenLayout(hasClassToken: false, rows: 1, columns: 2)
        let got = try AttentionRollout(discardRatio: 0.5)(blocks, layout: layout)
        expectClose(got, Tensor(shape: [1, 1, 2], storage: [0.625, 0.375]), absolute: 1e-6, relative: 0, "ties")
    }

    @Test func errors() throws {
        let blocks = try fixture.blocks()
        #expect(throws: AnalysisError.discardRatio(1.5)) {
            try AttentionRollout(discardRatio: 1.5)(blocks, layout: AnalysisFixture.layout)
        }
        #expect(throws: AnalysisError.noBlocks) { try AttentionRollout()([], layout: AnalysisFixture.layout) }
        let mixed = [blocks[0], Tensor(shape: [2, 3, 18, 18])]
        #expect(throws: AnalysisError.blocksDisagree(name: "attention.1", expected: [2, 4], got: [2, 3])) {
            try AttentionRollout()(mixed, layout: AnalysisFixture.layout)
        }
    }
}
