#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>

/// Numerically stable softmax of `rows` rows of `length` floats in place; row r starts at
/// `buffer + r * stride`. A row holding a NaN, or only -infinity, becomes all NaN (as torch).
void CVectorKernels_softmaxRows(float *buffer, ptrdiff_t rows, ptrdiff_t length, ptrdiff_t stride);

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

#endif
