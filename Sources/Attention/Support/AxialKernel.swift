import CVectorKernels
import TensorCore

/// The narrow-head axial attention kernel of `CVectorKernels` (`CVectorKernels_axialAttend`)
/// on channel-major projection planes, spread over the `Parallel` workers.
///
/// A grid of H·W pixels is stored as planes: plane p (a projected channel) holds the H·W
/// values of that channel, row-major by pixel, `planeStride` floats after plane p − 1. This
/// is what a plain GEMM `W·X` gives from an NCHW image, and what `W·M` reads back into NCHW.
enum AxialKernel {
    /// Whether the kernel runs heads of `headDimension` channels.
    static func supports(headDimension: Int) -> Bool { (1...16).contains(headDimension) }

    /// Floats between planes of a grid of `pixels`: a multiple of 16 plus 16, so consecutive
    /// planes start on different cache sets.
    static func planeStride(pixels: Int) -> Int { (pixels + 15) / 16 * 16 + 16 }

    /// Attends every row of one grid: row y of `rows` is one sequence of `length` tokens.
    ///
    /// Shape: q, k, v `heads·e` planes [rows, length] each (q already multiplied by the score
    /// scale) -> out `heads·e` planes on `outStride`; `scores` [rows, heads, length, length]
    /// or `nil`.
    static func attend(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, planeStride: Int,
                       out: UnsafeMutablePointer<Float>, outStride: Int, rows: Int, length: Int, heads: Int,
                       headDimension e: Int, scores: UnsafeMutablePointer<Float>?) {
        let workspace = CVectorKernels_axialWorkspace(length)
        // Multiply-adds per row: scores and weighted sum of its queries.
        let perRow = 2 * heads * e * length * length
        Parallel.forEachRange(rows, minimumPerWorker: max(1, (1 << 16) / max(perRow, 1))) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: workspace) { buffer in
                let handled = CVectorKernels_axialAttend(q, k, v, planeStride, out, outStride, length, heads, e,
                                                         range.lowerBound, range.upperBound, scores,
                                                         buffer.baseAddress!)
                precondition(handled != 0, "axial kernel called with head size \(e)")
            }
        }
    }

    /// The softmax weights of selected queries, taken from the kernel itself rerun on each
    /// row that holds one, so they equal the rows of the full maps bit for bit. The row's
    /// outputs are rewritten with the same values.
    ///
    /// Shape: q, k, v, out planes as in `attend` -> `base` [heads, Q, length] on
    /// `headStride`: row `slot` of head h holds query `queries[slot]` (an index
    /// y·length + x of this grid).
    static func captureQueries(_ queries: [Int], q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                               v: UnsafePointer<Float>, planeStride: Int, out: UnsafeMutablePointer<Float>,
                               outStride: Int, length: Int, heads: Int, headDimension e: Int,
                               base: UnsafeMutablePointer<Float>, headStride: Int) {
        let slotsByRow = Dictionary(grouping: queries.indices) { queries[$0] / length }
        let workspace = CVectorKernels_axialWorkspace(length)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: workspace + heads * length * length) { buffer in
            let scratch = buffer.baseAddress!, scores = scratch + workspace
            for (row, slots) in slotsByRow.sorted(by: { $0.key < $1.key }) {
                // Row `row` as a grid of one row: every plane starts `row·length` floats later.
                let offset = row * length
                _ = CVectorKernels_axialAttend(q + offset, k + offset, v + offset, planeStride, out + offset, outStride,
                                               length, heads, e, 0, 1, scores, scratch)
                for slot in slots {
                    let column = queries[slot] % length
                    for head in 0..<heads {
                        (base + head * headStride + slot * length)
                            .update(from: scores + (head * length + column) * length, count: length)
                    }
                }
            }
        }
    }
}
