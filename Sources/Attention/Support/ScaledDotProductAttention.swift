import CVectorKernels
import TensorCore

/// The shared core of self- and axial attention: `softmax(α·q·kᵀ)·v` per head for one
/// sequence whose projected tokens live in strided rows, straight through `BLAS.sgemm`.
///
/// Token `t`, head `h` of q (likewise k, v, out) is the `headDimension` contiguous floats at
/// `q + t·qStride + h·headDimension`. Passing the row stride as the GEMM leading dimension
/// reads the heads (and, for axial attention, every W-th pixel) without permute copies, and
/// the per-head result is written into its columns of `out`, merging the heads for free.
enum ScaledDotProductAttention {
    /// Where the softmax weights of one sequence go.
    enum Capture {
        /// Nowhere: weights are computed `scratchRows` queries at a time and dropped.
        case none
        /// Everything: head `h`'s [L, L] weights are computed in place at `base + h·headStride`.
        case full(base: UnsafeMutablePointer<Float>, headStride: Int)
        /// Selected query rows: the weights of query row `rows[i]` for head `h` are copied to
        /// `base + h·headStride + slots[i]·L`.
        case queries(rows: [Int], slots: [Int], base: UnsafeMutablePointer<Float>, headStride: Int)
    }

    /// Number of query rows processed at once when the weights are not kept in full, so that
    /// the scratch block stays near 1 M floats (4 MB) whatever the sequence length (smaller
    /// blocks were slower at N = 1024: each repacks the keys for its GEMM).
    static func blockRows(length: Int) -> Int {
        max(1, min(length, (1 << 20) / max(length, 1)))
    }

    /// Floats of `scratch` that `attend` needs for this shape and capture.
    static func scratchCount(length: Int, heads: Int, headDimension: Int, full: Bool) -> Int {
        if usesFusedKernel(length: length, headDimension: headDimension) {
            return CVectorKernels_sequenceWorkspace(length, heads, headDimension)
        }
        return full ? 1 : blockRows(length: length) * length
    }

    /// Attends one sequence of `length` tokens with `heads` heads of `headDimension` each.
    ///
    /// Shape: q, k, v, out [L, heads·headDimension] on row strides `qStride`, `kStride`,
    /// `vStride`, `outStride`; scores are multiplied by `scoreScale` after the product
    /// (lucidrains) or 1 when the caller pre-scaled q (timm). `scratch` holds at least
    /// `blockRows(length:)·length` floats (unused with `.full`).
    static func attend(
        q: UnsafePointer<Float>, qStride: Int,
        k: UnsafePointer<Float>, kStride: Int,
        v: UnsafePointer<Float>, vStride: Int,
        out: UnsafeMutablePointer<Float>, outStride: Int,
        length: Int, heads: Int, headDimension: Int, scoreScale: Float,
        scratch: UnsafeMutablePointer<Float>, capture: Capture
    ) {
        let (l, e) = (length, headDimension)
        guard l > 0 else { return }
        if usesFusedKernel(length: l, headDimension: e) {
            attendFused(q: q, qStride: qStride, k: k, kStride: kStride, v: v, vStride: vStride, out: out,
                        outStride: outStride, length: l, heads: heads, headDimension: e, scoreScale: scoreScale,
                        scratch: scratch, capture: capture)
            return
        }
        if case let .full(base, headStride) = capture {
            // Each head writes its own map and its own columns of `out`. When a head's products
            // are too small for BLAS to split (a ViT head: 197·197·64 multiply-adds), the heads
            // themselves go to the workers; otherwise each product is split (few long heads).
            let headsInParallel = l * l * e < BLAS.parallelMultiplyAdds
            Parallel.forEachRange(heads, minimumPerWorker: headsInParallel ? 1 : heads + 1) { range in
                for h in range {
                    block(q + h * e, qStride, k + h * e, kStride, v + h * e, vStride, out + h * e, outStride,
                          rows: l, length: l, headDimension: e, scale: scoreScale, scores: base + h * headStride)
                }
            }
            return
        }
        for h in 0..<heads {
            let (qh, kh, vh, oh) = (q + h * e, k + h * e, v + h * e, out + h * e)
            let step = blockRows(length: l)
            var start = 0
            while start < l {
                let rows = min(step, l - start)
                block(qh + start * qStride, qStride, kh, kStride, vh, vStride, oh + start * outStride, outStride,
                      rows: rows, length: l, headDimension: e, scale: scoreScale, scores: scratch)
                if case let .queries(queryRows, slots, base, headStride) = capture {
                    for (row, slot) in zip(queryRows, slots) where row >= start && row < start + rows {
                        (base + h * headStride + slot * l).update(from: scratch + (row - start) * l, count: l)
                    }
                }
                start += rows
            }
        }
    }

    /// Attends `rows` queries (their own q rows) to a sequence of `length` keys and values,
    /// each head's weights written to `scores + h·headStride` ([rows, L], kept for the
    /// caller): what a block computes when only its first tokens are read afterwards.
    ///
    /// Shape: q, out [rows, heads·headDimension], k, v [L, heads·headDimension] on the given
    /// row strides; scores `heads` blocks of rows·L floats.
    static func attendRows(
        q: UnsafePointer<Float>, qStride: Int,
        k: UnsafePointer<Float>, kStride: Int,
        v: UnsafePointer<Float>, vStride: Int,
        out: UnsafeMutablePointer<Float>, outStride: Int,
        rows: Int, length: Int, heads: Int, headDimension e: Int, scoreScale: Float,
        scores: UnsafeMutablePointer<Float>, headStride: Int
    ) {
        guard rows > 0, length > 0 else { return }
        for h in 0..<heads {
            block(q + h * e, qStride, k + h * e, kStride, v + h * e, vStride, out + h * e, outStride,
                  rows: rows, length: length, headDimension: e, scale: scoreScale, scores: scores + h * headStride)
        }
    }

    /// `rows` queries of one head: scores [rows, L] = α·q·kᵀ, softmax, out = scores·v.
    @inline(__always)
    private static func block(
        _ q: UnsafePointer<Float>, _ qStride: Int,
        _ k: UnsafePointer<Float>, _ kStride: Int,
        _ v: UnsafePointer<Float>, _ vStride: Int,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int,
        rows: Int, length: Int, headDimension: Int, scale: Float, scores: UnsafeMutablePointer<Float>
    ) {
        // [rows, e] · [L, e]ᵀ -> [rows, L]
        BLAS.sgemm(transA: false, transB: true, m: rows, n: length, k: headDimension, alpha: scale,
                   a: q, lda: qStride, b: k, ldb: kStride, beta: 0, c: scores, ldc: length)
        // Softmax rows in parallel once a block is large enough to pay for the threads.
        Parallel.forEachRange(rows, minimumPerWorker: max(1, 32_768 / max(length, 1))) { range in
            Softmax.rows(scores + range.lowerBound * length, rows: range.count, length: length, stride: length)
        }
        // [rows, L] · [L, e] -> [rows, e], written into this head's columns of out.
        BLAS.sgemm(transA: false, transB: false, m: rows, n: headDimension, k: length,
                   a: UnsafePointer(scores), lda: length, b: v, ldb: vStride, beta: 0, c: out, ldc: outStride)
    }

    /// Whether the fused AVX-512 kernel of `CVectorKernels` runs this shape: short sequences
    /// of narrow heads (axial attention's 64 × 8), where each GEMM would be a few thousand
    /// multiply-adds and OpenBLAS's per-call packing and dispatch cost more than the work.
    static func usesFusedKernel(length: Int, headDimension: Int) -> Bool {
        fusedKernelAvailable && headDimension <= 32 && length <= 256
    }

    /// The CPU has AVX-512F (the kernel reports it by doing nothing with zero rows).
    static let fusedKernelAvailable: Bool = CVectorKernels_attendHead(
        nil, 0, nil, 0, nil, 0, nil, 0, 0, 0, 0, 1, nil, 0, nil) != 0

    /// `attend` through `CVectorKernels_attendSequence`: the sequence's rows copied into
    /// contiguous blocks, then per head scores, softmax and the weighted sum row by row.
    private static func attendFused(
        q: UnsafePointer<Float>, qStride: Int,
        k: UnsafePointer<Float>, kStride: Int,
        v: UnsafePointer<Float>, vStride: Int,
        out: UnsafeMutablePointer<Float>, outStride: Int,
        length l: Int, heads: Int, headDimension e: Int, scoreScale: Float,
        scratch: UnsafeMutablePointer<Float>, capture: Capture
    ) {
        var scores: UnsafeMutablePointer<Float>?
        var headStride = 0
        if case let .full(base, stride) = capture { (scores, headStride) = (base, stride) }
        _ = CVectorKernels_attendSequence(q, qStride, k, kStride, v, vStride, out, outStride, l, heads, e, scoreScale,
                                          scores, headStride, scratch)
        guard case let .queries(rows, slots, base, stride) = capture else { return }
        // Recompute the captured rows with their weights written to their slots.
        for h in 0..<heads {
            let (qh, kh, vh, oh) = (q + h * e, k + h * e, v + h * e, out + h * e)
            for (row, slot) in zip(rows, slots) {
                _ = CVectorKernels_attendHead(qh + row * qStride, qStride, kh, kStride, vh, vStride,
                                              oh + row * outStride, outStride, 1, l, e, scoreScale,
                                              base + h * stride + slot * l, l, scratch)
            }
        }
    }
}
