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

/// The exact GELU, x·½·(1 + erf(x/√2)), of `count` floats in place, erf by Abramowitz &
/// Stegun 7.1.26 as PyTorch's vectorised CPU kernel (absolute error below 1.5e-7).
void CVectorKernels_gelu(float *values, ptrdiff_t count);

/// The same with the instruction set capped at `limit` (0 portable, 1 AVX2+FMA, 2 AVX-512F).
void CVectorKernels_geluLimited(float *values, ptrdiff_t count, int limit);

/// LayerNorm of `rows` contiguous rows of `dimension` floats: y = (x − mean)/√(var + epsilon)
/// · weight + bias with the biased variance (two passes over the row). `output` may be `input`.
void CVectorKernels_layerNormRows(const float *input, float *output, ptrdiff_t rows, ptrdiff_t dimension,
                                  const float *weight, const float *bias, float epsilon);

/// The same with the instruction set capped at `limit` (0 portable, 1 AVX2+FMA, 2 AVX-512F).
void CVectorKernels_layerNormRowsLimited(const float *input, float *output, ptrdiff_t rows, ptrdiff_t dimension,
                                         const float *weight, const float *bias, float epsilon, int limit);

/// Times the hand-off of data between two CPUs: the calling thread, pinned to the first CPU
/// it may run on, and a thread pinned to the second each write half of `bytes`, meet, then
/// read the other's half (`crossMicroseconds`) or their own (`sameMicroseconds`), and meet
/// again; the median over `rounds` of such a round, in microseconds. `cpus` receives the two
/// CPU numbers. The calling thread's CPU set is restored afterwards. Returns 0, or -1 when
/// fewer than two CPUs are allowed or a thread cannot be made.
int CVectorKernels_handoffProbe(ptrdiff_t bytes, int rounds, double *sameMicroseconds, double *crossMicroseconds,
                                int *cpus);

/// The CPUs the calling thread may run on: their number, the first `capacity` of them written
/// to `cpus` (-1 on error).
int CVectorKernels_allowedCPUs(int *cpus, int capacity);

/// Restricts the calling thread to the `count` CPUs of `cpus`; 0, or -1 on error.
int CVectorKernels_setAllowedCPUs(const int *cpus, int count);

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
