import CVectorKernels
import TensorCore

/// The narrow-head axial attention kernel of `CVectorKernels` (`CVectorKernels_axialAttend`)
/// on channel-major projection planes, spread over the `Parallel` workers.
///
/// A grid of H·W pixels is stored as planes: plane p (a projected channel) holds the H·W
/// values of that channel, row-major by pixel, `planeStride` floats after plane p − 1. This
/// is what a plain GEMM `W·X` gives from an NCHW image, and what `W·M` reads back into NCHW.
enum AxialKernel {
    /// The axis a sequence lies along, as the kernel numbers it.
    enum Axis: Int32 {
        /// Sequences are columns (`axial_attentions.0`).
        case height = 0
        /// Sequences are rows (`axial_attentions.1`).
        case width = 1
    }

    /// Whether the kernel runs heads of `headDimension` channels.
    static func supports(headDimension: Int) -> Bool { (1...16).contains(headDimension) }

    /// Floats between planes of a grid of `pixels`: a multiple of 16 plus 16, so consecutive
    /// planes start on different cache sets and every plane is followed by slack the kernel's
    /// vector loads may touch (it never uses what they read there).
    static func planeStride(pixels: Int) -> Int { (pixels + 15) / 16 * 16 + 16 }

    /// Attends every sequence of one image along `axis`.
    ///
    /// Shape: q, k, v `heads·e` planes each (q already multiplied by the score scale) ->
    /// out `heads·e` planes on `outStride`; `scores` [S, heads, L, L] for the S sequences of
    /// length L, or `nil`.
    static func attend(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, planeStride: Int,
                       out: UnsafeMutablePointer<Float>, outStride: Int, height: Int, width: Int, heads: Int,
                       headDimension e: Int, axis: Axis, scores: UnsafeMutablePointer<Float>?) {
        let units = CVectorKernels_axialUnits(height, width, axis.rawValue, 2)
        let workspace = CVectorKernels_axialWorkspace(height, width, axis.rawValue)
        // Multiply-adds per unit: scores and weighted sum of every query of the unit.
        let length = axis == .height ? height : width
        let perUnit = 2 * heads * e * length * length * (axis == .height ? min(width, 16) : 1)
        Parallel.forEachRange(units, minimumPerWorker: max(1, (1 << 16) / max(perUnit, 1))) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: workspace) { buffer in
                let handled = CVectorKernels_axialAttend(
                    q, k, v, planeStride, out, outStride, height, width, heads, e, axis.rawValue,
                    range.lowerBound, range.upperBound, scores, buffer.baseAddress!)
                precondition(handled != 0, "axial kernel called with head size \(e)")
            }
        }
    }

    /// The softmax weights of selected query pixels (along rows: `axis` is `.width`), taken
    /// from the kernel itself rerun on each row that holds one, so they equal the rows of the
    /// full maps bit for bit. The row's outputs are rewritten with the same values.
    ///
    /// Shape: q, k, v, out planes as in `attend` -> `base` [heads, Q, L] on `headStride`: row
    /// `slot` of head h holds query `queries[slot]` (an index y·width + x of this grid).
    static func captureQueries(_ queries: [Int], q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                               v: UnsafePointer<Float>, planeStride: Int, out: UnsafeMutablePointer<Float>,
                               outStride: Int, height: Int, width: Int, heads: Int, headDimension e: Int,
                               base: UnsafeMutablePointer<Float>, headStride: Int) {
        let length = width
        let slotsByRow = Dictionary(grouping: queries.indices) { queries[$0] / width }
        let workspace = CVectorKernels_axialWorkspace(1, width, Axis.width.rawValue)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: workspace + heads * length * length) { buffer in
            let scratch = buffer.baseAddress!, scores = scratch + workspace
            for (row, slots) in slotsByRow.sorted(by: { $0.key < $1.key }) {
                // Row `row` as a grid of one row: every plane starts `row·width` floats later.
                let offset = row * width
                _ = CVectorKernels_axialAttend(q + offset, k + offset, v + offset, planeStride, out + offset, outStride,
                                               1, width, heads, e, Axis.width.rawValue, 0, 1, scores, scratch)
                for slot in slots {
                    let column = queries[slot] % width
                    for head in 0..<heads {
                        (base + head * headStride + slot * length)
                            .update(from: scores + (head * length + column) * length, count: length)
                    }
                }
            }
        }
    }
}
