#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>

/// Numerically stable softmax of `rows` rows of `length` floats in place; row r starts at
/// `buffer + r * stride`. A row holding a NaN, or only -infinity, becomes all NaN (as torch).
void CVectorKernels_softmaxRows(float *buffer, ptrdiff_t rows, ptrdiff_t length, ptrdiff_t stride);

/// The same with the instruction set capped at `limit` (0 portable, 1 AVX2+FMA, 2 AVX-512F;
/// the CPU's own limit still applies), so tests can run every variant on one machine.
void CVectorKernels_softmaxRowsLimited(float *buffer, ptrdiff_t rows, ptrdiff_t length, ptrdiff_t stride, int limit);

/// Name of the instruction set the kernels use on this CPU: "avx512f", "avx2" or "portable".
const char *CVectorKernels_instructionSet(void);

/// One head of scaled dot-product attention for `rows` queries against `length` keys, when
/// the CPU has AVX-512F (returns 1); returns 0 without touching anything otherwise, and the
/// caller uses its GEMM path.
///
/// Query i is the `dimension` floats at `q + i*qStride`, key j at `k + j*kStride`, value j at
/// `v + j*vStride`; out row i (`dimension` floats at `out + i*outStride`) receives
/// softmax(scale * q_i . k_j over j) . v. When `scores` is not NULL, the softmax weights of
/// query i are also written to `scores + i*scoresStride` (`length` floats). `workspace` holds
/// at least `CVectorKernels_attentionWorkspace(length, dimension)` floats.
int CVectorKernels_attendHead(const float *q, ptrdiff_t qStride, const float *k, ptrdiff_t kStride,
                              const float *v, ptrdiff_t vStride, float *out, ptrdiff_t outStride,
                              ptrdiff_t rows, ptrdiff_t length, ptrdiff_t dimension, float scale,
                              float *scores, ptrdiff_t scoresStride, float *workspace);

/// All `heads` heads of one sequence (head h uses columns h*dimension ..< (h+1)*dimension of
/// the q, k, v and out rows), when the CPU has AVX-512F (returns 1; 0 otherwise, untouched).
/// The rows are first copied into contiguous blocks of the workspace, so strided sequences
/// (a column of a pixel-major grid, rows W*C floats apart) touch each cache line once.
/// When `scores` is not NULL, head h's [length, length] weights go to
/// `scores + h*scoresHeadStride`. `workspace` holds at least
/// `CVectorKernels_sequenceWorkspace(length, heads, dimension)` floats.
int CVectorKernels_attendSequence(const float *q, ptrdiff_t qStride, const float *k, ptrdiff_t kStride,
                                  const float *v, ptrdiff_t vStride, float *out, ptrdiff_t outStride,
                                  ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension, float scale,
                                  float *scores, ptrdiff_t scoresHeadStride, float *workspace);

/// Floats of workspace `CVectorKernels_attendSequence` needs.
ptrdiff_t CVectorKernels_sequenceWorkspace(ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension);

/// Floats of workspace `CVectorKernels_attendHead` needs.
ptrdiff_t CVectorKernels_attentionWorkspace(ptrdiff_t length, ptrdiff_t dimension);

/// Whether `CVectorKernels_sgemm` runs on this CPU (it needs AVX-512F): 1 or 0.
int CVectorKernels_sgemmAvailable(void);

/// Floats of workspace `CVectorKernels_sgemm` needs for an m×n×k product (0 when any is 0).
ptrdiff_t CVectorKernels_sgemmWorkspace(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k);

/// Row-major single-precision GEMM `C = alpha·op(A)·op(B) + beta·C`, single-threaded, when
/// the CPU has AVX-512F (returns 1); returns 0 without touching anything otherwise, and the
/// caller uses OpenBLAS.
///
/// Shape: op(A) [m,k], op(B) [k,n], C [m,n]. With `transA` A is stored as [k,m] (row stride
/// `lda` ≥ m), otherwise as [m,k] (`lda` ≥ k); likewise B with `transB`. C has row stride
/// `ldc` ≥ n; only its m×n elements are written. With `beta == 0` C is not read (it may hold
/// NaN); with k = 0 C becomes beta·C. `workspace` holds at least
/// `CVectorKernels_sgemmWorkspace(m, n, k)` floats (the packed panels; any alignment).
/// Callers thread it by giving each worker a disjoint block of rows or columns of C.
int CVectorKernels_sgemm(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                         const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float beta,
                         float *c, ptrdiff_t ldc, float *workspace);

/// Runs a register-only loop of independent FMAs (`instructionSet` 1: AVX2 ymm, 2: AVX-512
/// zmm) for `iterations` rounds and returns the floating-point operations it did (2 per lane
/// per FMA), or 0 when the CPU lacks that instruction set. Time it to get the FMA peak.
double CVectorKernels_fmaPeakLoop(int instructionSet, ptrdiff_t iterations);

/// Axial attention of narrow heads (1 ≤ `dimension` ≤ 16) along the rows of a grid of
/// channel-major planes: plane c of q (likewise k, v) is at `q + c*planeStride`, row y of it
/// the `length` floats at `+ y*length`, and head h uses planes h*dimension ..< (h+1)*dimension.
/// Each row is one sequence. Out plane c is at `out + c*outStride` (same layout). The queries
/// must already carry the score scale (softmax(q·kᵀ)·v is computed as is). For the other
/// axis, transpose the planes (`CVectorKernels_transposePlanes`).
///
/// This call does rows `first ..< last` (threads take disjoint ranges) and writes every
/// plane of them. When `scores` is not NULL the softmax weights of row y, head h go to
/// `scores + (y*heads + h)*length*length` as [length, length] (query, key): the full
/// [rows, heads, L, L] maps of Contract 2 for one image. `workspace` holds
/// `CVectorKernels_axialWorkspace(length)` floats per concurrent call.
///
/// Returns 0 (nothing touched) when `dimension` is out of range, 1 otherwise. A row of
/// scores holding a NaN or only -infinity gives NaN weights, as torch.
int CVectorKernels_axialAttend(const float *q, const float *k, const float *v, ptrdiff_t planeStride, float *out,
                               ptrdiff_t outStride, ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension,
                               ptrdiff_t first, ptrdiff_t last, float *scores, float *workspace);

/// The same with the instruction set capped at `limit` (0 portable, 1 AVX2+FMA, 2 AVX-512F),
/// so tests can run every variant.
int CVectorKernels_axialAttendLimited(const float *q, const float *k, const float *v, ptrdiff_t planeStride,
                                      float *out, ptrdiff_t outStride, ptrdiff_t length, ptrdiff_t heads,
                                      ptrdiff_t dimension, ptrdiff_t first, ptrdiff_t last, float *scores,
                                      float *workspace, int limit);

/// Floats of workspace one `CVectorKernels_axialAttend(Limited)` call needs.
ptrdiff_t CVectorKernels_axialWorkspace(ptrdiff_t length);

/// Transposes `planes` planes: plane p of `source` ([rows, columns] row-major at
/// `source + p*sourceStride`) becomes plane p of `target` ([columns, rows] at
/// `target + p*targetStride`). The buffers must not overlap.
void CVectorKernels_transposePlanes(const float *source, ptrdiff_t sourceStride, float *target,
                                    ptrdiff_t targetStride, ptrdiff_t planes, ptrdiff_t rows, ptrdiff_t columns);

/// The same with the instruction set capped at `limit` (below 2: the portable variant).
void CVectorKernels_transposePlanesLimited(const float *source, ptrdiff_t sourceStride, float *target,
                                           ptrdiff_t targetStride, ptrdiff_t planes, ptrdiff_t rows,
                                           ptrdiff_t columns, int limit);

/// Floats of a pre-packed k×n op(B) (`CVectorKernels_sgemmPackB`): k·n rounded up to 32 columns.
ptrdiff_t CVectorKernels_sgemmPackedCount(ptrdiff_t k, ptrdiff_t n);

/// Packs a constant op(B) (k×n; stored [n,k] on row stride `ldb` with `transB`, else [k,n])
/// once into the panel layout of the kernel, for `CVectorKernels_sgemmPacked`: 768-deep blocks,
/// each of 32-column panels, columns past n zero. `packed` holds
/// `CVectorKernels_sgemmPackedCount(k, n)` floats (64-byte aligned is best). Returns 1, or 0
/// without touching anything when the CPU lacks AVX-512F.
int CVectorKernels_sgemmPackB(int transB, ptrdiff_t k, ptrdiff_t n, const float *b, ptrdiff_t ldb, float *packed);

/// Floats of workspace `CVectorKernels_sgemmPacked` and `CVectorKernels_sgemmPatches` need for
/// m rows of depth k (the A panels only).
ptrdiff_t CVectorKernels_sgemmPackedWorkspace(ptrdiff_t m, ptrdiff_t k);

/// `C = alpha·op(A)·B' + beta·C + bias`, single-threaded, where B' is columns
/// [column, column + n) of a matrix of `packedColumns` columns packed by
/// `CVectorKernels_sgemmPackB` (with the same k) and `bias` (n floats, or NULL) is added to
/// every row. `column` is a multiple of 32. A as in `CVectorKernels_sgemm`; with beta = 0 C is
/// not read. `workspace` holds `CVectorKernels_sgemmPackedWorkspace(m, k)` floats. Returns 1,
/// or 0 (nothing touched) without AVX-512F or with a bad column range.
int CVectorKernels_sgemmPacked(int transA, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a,
                               ptrdiff_t lda, const float *packed, ptrdiff_t packedColumns, ptrdiff_t column,
                               float beta, const float *bias, float *c, ptrdiff_t ldc, float *workspace);

/// Patch embedding as one product with no im2col buffer: rows [firstRow, firstRow + rows) of
/// `C = P·B' + bias`, where row t of P is patch t of the images (row-major patch grid of
/// ⌊height/patch⌋ × ⌊width/patch⌋ per image, images [*, channels, height, width] one after
/// the other at `images`) flattened in (channel, ky, kx) order, read straight into the A
/// panels; B' is the packed op(B) of k = channels·patch² rows and n columns (a convolution
/// weight [n, channels, patch, patch] packed with transB). `c` points at row `firstRow`
/// (row stride `ldc`); `bias` is n floats or NULL. `workspace` as for
/// `CVectorKernels_sgemmPacked`. Returns 1, or 0 (nothing touched) without AVX-512F or when
/// an image is smaller than one patch.
int CVectorKernels_sgemmPatches(const float *images, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t patch, ptrdiff_t firstRow, ptrdiff_t rows, const float *packed,
                                ptrdiff_t n, const float *bias, float *c, ptrdiff_t ldc, float *workspace);

/// A spin-wait hint for busy loops (x86 `pause`; nothing elsewhere).
static inline void CVectorKernels_spinPause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// A unit of a fork-join loop: called once per index with the caller's `context`.
typedef void (*CVectorKernels_Task)(void *context, ptrdiff_t index);

/// Calls `task(context, i)` for every i in 0 ..< count, on the calling thread and up to
/// `workers - 1` helper threads of a process-wide pool, and returns when all have returned.
/// Indices are claimed from a shared counter, so a helper that is late only leaves more to
/// the caller. Helpers spin 2 ms (of their own CPU time) after a job for the next one, then sleep. One caller owns
/// the pool at a time: a nested call (from inside a task) or a call while another thread
/// owns it runs all its indices on its own thread, so nothing can deadlock. Unlike the
/// kernels, this starts threads (once, on first use, up to 63).
void CVectorKernels_parallelFor(ptrdiff_t count, ptrdiff_t workers, CVectorKernels_Task task, void *context);

/// Starts the helpers a `workers`-wide `CVectorKernels_parallelFor` will use, asleep, so that
/// the first job's wake-up (not the thread's creation) decides the CPU each runs on.
void CVectorKernels_parallelPrepare(ptrdiff_t workers);

#endif
