import Testing
import TensorCore
@testable import Attention

/// Class-token and query maps against `attn[b, :, q, prefix:]` read by NumPy
/// (`tools/make_analysis_fixtures.py`); the mean and single-head selections against the
/// per-head fixture, averaged or picked here.
@Suite struct ClassTokenAttentionTests {
    let fixture: AnalysisFixture
    init() throws { fixture = try AnalysisFixture() }

    @Test(arguments: 0..<3)
    func classTokenMapsPerHead(block: Int) throws {
        let blocks = try fixture.blocks()
        let expected = try fixture.tensor("class.block\(block)")
        let got = try ClassTokenAttention.maps(blocks, layout: AnalysisFixture.layout, block: block, heads: .each)
        expectClose(got, expected, absolute: 1e-7, relative: 1e-6, "class block \(block)")
        expectClose(try ClassTokenAttention.maps(blocks, layout: AnalysisFixture.layout, block: block, heads: .head(3)),
                    panel(expected, 3), absolute: 1e-7, relative: 1e-6, "class block \(block) head 3")
        expectClose(try ClassTokenAttention.maps(blocks, layout: AnalysisFixture.layout, block: block, heads: .mean),
                    panelMean(expected), absolute: 1e-7, relative: 1e-6, "class block \(block) mean")
    }

    @Test func lastBlockByDefault() throws {
        let blocks = try fixture.blocks()
        let got = try ClassTokenAttention.maps(blocks, layout: AnalysisFixture.layout, heads: .each)
        expectClose(got, try fixture.tensor("class.block2"), absolute: 1e-7, relative: 1e-6, "default block")
    }

    @Test func withoutClassTokenMeanOfPatchQueries() throws {
        let got = try ClassTokenAttention.maps(try fixture.blocks("noclass."), layout: AnalysisFixture.noClassLayout, heads: .each)
        expectClose(got, try fixture.tensor("noclass.class.block2"), absolute: 1e-7, relative: 1e-6, "no class token")
    }

    @Test(arguments: [("class", TokenLayout.Token.classToken), ("register1", .register(1)),
                      ("patch_r1_c3", .patch(row: 1, column: 3))])
    func queryMaps(name: String, token: TokenLayout.Token) throws {
        let blocks = try fixture.blocks()
        for block in 0..<3 {
            let expected = try fixture.tensor("query.\(name).block\(block)")
            let got = try QueryAttention.maps(blocks, layout: AnalysisFixture.layout, query: token, block: block, heads: .each)
            expectClose(got, expected, absolute: 1e-7, relative: 1e-6, "query \(name) block \(block)")
            expectClose(try QueryAttention.maps(blocks, layout: AnalysisFixture.layout, query: token, block: block, heads: .head(2)),
                        panel(expected, 2), absolute: 1e-7, relative: 1e-6, "query \(name) block \(block) head 2")
        }
    }

    @Test func errorsNameTheBadChoice() throws {
        let blocks = try fixture.blocks()
        let layout = AnalysisFixture.layout
        #expect(throws: AnalysisError.blockOutOfRange(block: 3, count: 3)) {
            try ClassTokenAttention.maps(blocks, layout: layout, block: 3)
        }
        #expect(throws: AnalysisError.headOutOfRange(head: 4, count: 4)) {
            try ClassTokenAttention.maps(blocks, layout: layout, heads: .head(4))
        }
        #expect(throws: AnalysisError.noBlocks) { try ClassTokenAttention.maps([], layout: layout) }
        #expect(throws: AnalysisError.patchOutOfRange(row: 3, column: 0, rows: 3, columns: 5)) {
            try QueryAttention.maps(blocks, layout: layout, query: .patch(row: 3, column: 0))
        }
        #expect(throws: AnalysisError.registerOutOfRange(index: 2, count: 2)) {
            try QueryAttention.maps(blocks, layout: layout, query: .register(2))
        }
        #expect(throws: AnalysisError.noClassToken) {
            try QueryAttention.maps(try fixture.blocks("noclass."), layout: AnalysisFixture.noClassLayout, query: .classToken)
        }
        // The no-class blocks (T = 16) do not fit a layout with T = 18.
        #expect(throws: AnalysisError.attentionShape(name: "attention.2", expected: "[B, heads, 18, 18]", got: [2, 4, 16, 16])) {
            try ClassTokenAttention.maps(try fixture.blocks("noclass."), layout: layout)
        }
    }
}
