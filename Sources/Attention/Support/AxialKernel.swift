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

    /// The softmax weights of selected query pixels, recomputed from the planes.
    ///
    /// Shape: q, k planes as in `attend` -> `base` [heads, Q, L] on `headStride`: row `slot`
    /// of head h holds pixel `queries[slot]`'s weights over its sequence along `axis`.
    static func captureQueries(_ queries: [Int], q: UnsafePointer<Float>, k: UnsafePointer<Float>, planeStride: Int,
                               height: Int, width: Int, heads: Int, headDimension e: Int, axis: Axis,
                               base: UnsafeMutablePointer<Float>, headStride: Int) {
        let length = axis == .height ? height : width
        for (slot, pixel) in queries.enumerated() {
            let (y, x) = pixel.quotientAndRemainder(dividingBy: width)
            for head in 0..<heads {
                let row = base + head * headStride + slot * length
                for j in 0..<length {
                    let key = axis == .height ? j * width + x : y * width + j
                    var sum: Float = 0
                    for t in 0..<e {
                        let plane = (head * e + t) * planeStride
                        sum += q[plane + pixel] * k[plane + key]
                    }
                    row[j] = sum
                }
                Softmax.rows(row, rows: 1, length: length)
            }
        }
    }
}
