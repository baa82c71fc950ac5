import Foundation
import Testing
import TensorCore
@testable import Attention

/// The two implementations of ``AxialAttention``: the plane path (heads of at most 16
/// channels, the narrow kernel) and the GEMM path (wider heads), each against the
/// lucidrains transcription of `AxialAttentionTests`, with odd grids and both modes.
@Suite struct AxialAttentionPathTests {
    static func expected(_ layer: AxialAttention, _ x: Tensor) -> (Tensor, Tensor, Tensor) {
        let (heightOut, heightMaps) = AxialAttentionTests.reference(layer.heightAttention, x, alongHeight: true)
        let widthInput = layer.sumAxialOut ? x : heightOut
        let (widthOut, widthMaps) = AxialAttentionTests.reference(layer.widthAttention, widthInput, alongHeight: false)
        let output = layer.sumAxialOut
            ? Tensor(shape: x.shape, storage: zip(heightOut.storage, widthOut.storage).map { $0 + $1 })
            : widthOut
        return (output, heightMaps, widthMaps)
    }

    @Test(arguments: [(1, 8, true), (16, 4, false), (20, 2, true), (17, 1, false)])
    func pathMatchesTranscription(headDimension e: Int, heads: Int, sum: Bool) throws {
        let c = 8
        let layer = try AxialAttentionTests.layer(dimension: c, heads: heads, headDimension: e, sum: sum)
        #expect((layer.planeWeights != nil) == (e <= 16))
        // 2 images of 7 × 18: partial 16-lane blocks along both axes.
        let x = randomTensor([2, c, 7, 18], seed: 70)
        let (output, heightMaps, widthMaps) = Self.expected(layer, x)
        let result = try layer(x, capture: .full)
        // Errors scale with the largest output (81 for e = 16 in the sequential mode, whose
        // second axis attends over the first's outputs with logits in the hundreds): the GEMM
        // path is off by 1.3e-4 there, the plane path by 1.9e-4, both ~2e-6 of the scale.
        let scale = output.storage.map { abs($0) }.max() ?? 0
        expectClose(result.output, output, absolute: 4e-6 * max(scale, 1), "output")
        expectClose(result.heightAttention, heightMaps, "height maps")
        expectClose(result.widthAttention, widthMaps, "width maps")
        #expect(try layer(x).output == result.output, "the pass without maps computes the same output")
        // Query rows: pixel y·W + x of image b is row y of column x (height), row x of row y (width).
        let queries = [0, 17, 5 * 18 + 3, 7 * 18 - 1]
        let picked = try layer(x, capture: .queries(queries))
        #expect(picked.output == result.output)
        for (slot, pixel) in queries.enumerated() {
            let (y, column) = pixel.quotientAndRemainder(dividingBy: 18)
            for image in 0..<2 {
                for head in 0..<heads {
                    for j in 0..<7 {
                        #expect(picked.heightAttention![image, head, slot, j] == result.heightAttention![image, column, head, y, j])
                    }
                    for j in 0..<18 {
                        #expect(picked.widthAttention![image, head, slot, j] == result.widthAttention![image, y, head, column, j])
                    }
                }
            }
        }
    }

    @Test func repeatedPassesReuseScratchAndAgree() throws {
        let layer = try AxialAttentionTests.layer(dimension: 8, heads: 2, headDimension: 4, sum: false)
        let small = randomTensor([1, 8, 5, 6], seed: 71)
        let large = randomTensor([1, 8, 33, 20], seed: 72)
        let first = try layer(small).output
        _ = try layer(large)
        #expect(try layer(small).output == first)
    }
}
