// One attention head, scores + softmax + weighted sum fused row by row (see the header).
#include "CVectorKernels.h"

#include <math.h>
#include <string.h>

ptrdiff_t CVectorKernels_attentionWorkspace(ptrdiff_t length, ptrdiff_t dimension) {
    ptrdiff_t padded = (length + 15) & ~(ptrdiff_t)15;
    ptrdiff_t width = (dimension + 15) & ~(ptrdiff_t)15;
    return (dimension + 1) * padded + length * width;
}

ptrdiff_t CVectorKernels_sequenceWorkspace(ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension) {
    return 4 * length * heads * dimension + CVectorKernels_attentionWorkspace(length, dimension);
}

#if defined(__x86_64__) || defined(__i386__)
#include "exp_avx512.h"

void CVectorKernels_softmaxRowAVX512(float *row, ptrdiff_t length);

static AVX512 void attend_avx512(const float *q, ptrdiff_t qStride, const float *k, ptrdiff_t kStride,
                                 const float *v, ptrdiff_t vStride, float *out, ptrdiff_t outStride,
                                 ptrdiff_t rows, ptrdiff_t length, ptrdiff_t dimension, float scale,
                                 float *scores, ptrdiff_t scoresStride, float *workspace) {
    const ptrdiff_t padded = (length + 15) & ~(ptrdiff_t)15;
    float *keys = workspace;                       // [dimension, padded]: keys transposed, zero padded
    float *weights = workspace + dimension * padded;  // [padded]: one row of scores
    const ptrdiff_t width = (dimension + 15) & ~(ptrdiff_t)15;
    float *values = weights + padded;                  // [length, width]: values, zero padded
    // Packing both operands once per head keeps the row loop on contiguous memory whatever
    // the strides (a column of a pixel-major grid has rows W·C floats apart, which would map
    // every key of a sequence onto the same L1 sets).
    for (ptrdiff_t j = 0; j < length; j++) {
        memcpy(values + j * width, v + j * vStride, (size_t)dimension * sizeof(float));
        for (ptrdiff_t c = dimension; c < width; c++) values[j * width + c] = 0;
    }
    for (ptrdiff_t t = 0; t < dimension; t++) {
        float *column = keys + t * padded;
        for (ptrdiff_t j = 0; j < length; j++) column[j] = k[j * kStride + t];
        for (ptrdiff_t j = length; j < padded; j++) column[j] = 0;
    }
    const __m512 factor = _mm512_set1_ps(scale);
    // Valid lanes of the four 16-key blocks of a row of at most 64 keys.
    __mmask16 masks[4];
    for (int b = 0; b < 4; b++) {
        ptrdiff_t valid = length - 16 * b;
        masks[b] = valid >= 16 ? (__mmask16)0xFFFF : valid <= 0 ? (__mmask16)0 : (__mmask16)((1u << valid) - 1);
    }
    for (ptrdiff_t i = 0; i < rows; i++) {
        const float *query = q + i * qStride;
        if (padded <= 64) {
            // Up to 64 keys: the scores of the row stay in four registers through the softmax.
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (ptrdiff_t t = 0; t < dimension; t++) {
                __m512 qt = _mm512_set1_ps(query[t]);
                const float *row = keys + t * padded;
                a0 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row), a0);
                if (padded > 16) a1 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 16), a1);
                if (padded > 32) a2 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 32), a2);
                if (padded > 48) a3 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 48), a3);
            }
            // Lanes past `length` (and unused registers) hold -inf: exp gives 0 there.
            const __m512 negativeInfinity = _mm512_set1_ps(-INFINITY);
            a0 = _mm512_mask_mul_ps(negativeInfinity, masks[0], a0, factor);
            a1 = _mm512_mask_mul_ps(negativeInfinity, masks[1], a1, factor);
            a2 = _mm512_mask_mul_ps(negativeInfinity, masks[2], a2, factor);
            a3 = _mm512_mask_mul_ps(negativeInfinity, masks[3], a3, factor);
            __mmask16 unordered = _mm512_cmp_ps_mask(a0, a0, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(a1, a1, _CMP_UNORD_Q)
                                | _mm512_cmp_ps_mask(a2, a2, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(a3, a3, _CMP_UNORD_Q);
            float largest = unordered ? NAN
                : _mm512_reduce_max_ps(_mm512_max_ps(_mm512_max_ps(a0, a1), _mm512_max_ps(a2, a3)));
            const __m512 shift = _mm512_set1_ps(largest);
            // exp(-inf - largest) = 0 on the padding; a row of only -inf gives NaN, as torch.
            a0 = _mm512_maskz_mov_ps(masks[0], exp_avx512(_mm512_sub_ps(a0, shift)));
            a1 = _mm512_maskz_mov_ps(masks[1], exp_avx512(_mm512_sub_ps(a1, shift)));
            a2 = _mm512_maskz_mov_ps(masks[2], exp_avx512(_mm512_sub_ps(a2, shift)));
            a3 = _mm512_maskz_mov_ps(masks[3], exp_avx512(_mm512_sub_ps(a3, shift)));
            const __m512 inverse = _mm512_set1_ps(
                1.0f / _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3))));
            _mm512_storeu_ps(weights, _mm512_mul_ps(a0, inverse));
            if (padded > 16) _mm512_storeu_ps(weights + 16, _mm512_mul_ps(a1, inverse));
            if (padded > 32) _mm512_storeu_ps(weights + 32, _mm512_mul_ps(a2, inverse));
            if (padded > 48) _mm512_storeu_ps(weights + 48, _mm512_mul_ps(a3, inverse));
        } else {
            // weights = scale * (q_i . k_j), 64 keys at a time in four accumulators.
            for (ptrdiff_t jb = 0; jb < padded; jb += 64) {
                ptrdiff_t blocks = (padded - jb) / 16;
                if (blocks > 4) blocks = 4;
                __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
                const float *base = keys + jb;
                if (blocks == 4) {
                    for (ptrdiff_t t = 0; t < dimension; t++) {
                        __m512 qt = _mm512_set1_ps(query[t]);
                        const float *row = base + t * padded;
                        a0 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row), a0);
                        a1 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 16), a1);
                        a2 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 32), a2);
                        a3 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 48), a3);
                    }
                } else {
                    for (ptrdiff_t t = 0; t < dimension; t++) {
                        __m512 qt = _mm512_set1_ps(query[t]);
                        const float *row = base + t * padded;
                        a0 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row), a0);
                        if (blocks > 1) a1 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 16), a1);
                        if (blocks > 2) a2 = _mm512_fmadd_ps(qt, _mm512_loadu_ps(row + 32), a2);
                    }
                }
                _mm512_storeu_ps(weights + jb, _mm512_mul_ps(a0, factor));
                if (blocks > 1) _mm512_storeu_ps(weights + jb + 16, _mm512_mul_ps(a1, factor));
                if (blocks > 2) _mm512_storeu_ps(weights + jb + 32, _mm512_mul_ps(a2, factor));
                if (blocks > 3) _mm512_storeu_ps(weights + jb + 48, _mm512_mul_ps(a3, factor));
            }
            CVectorKernels_softmaxRowAVX512(weights, length);
        }
        if (scores) memcpy(scores + i * scoresStride, weights, (size_t)length * sizeof(float));
        // out_i = weights . v, 16 output channels at a time, four keys per step.
        float *target = out + i * outStride;
        for (ptrdiff_t c = 0; c < dimension; c += 16) {
            __mmask16 lanes = dimension - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (dimension - c)) - 1);
            __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
            const float *value = values + c;
            ptrdiff_t j = 0;
            for (; j + 4 <= length; j += 4) {
                s0 = _mm512_fmadd_ps(_mm512_set1_ps(weights[j]), _mm512_loadu_ps(value + j * width), s0);
                s1 = _mm512_fmadd_ps(_mm512_set1_ps(weights[j + 1]), _mm512_loadu_ps(value + (j + 1) * width), s1);
                s2 = _mm512_fmadd_ps(_mm512_set1_ps(weights[j + 2]), _mm512_loadu_ps(value + (j + 2) * width), s2);
                s3 = _mm512_fmadd_ps(_mm512_set1_ps(weights[j + 3]), _mm512_loadu_ps(value + (j + 3) * width), s3);
            }
            for (; j < length; j++)
                s0 = _mm512_fmadd_ps(_mm512_set1_ps(weights[j]), _mm512_loadu_ps(value + j * width), s0);
            __m512 sum = _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3));
            _mm512_mask_storeu_ps(target + c, lanes, sum);
        }
    }
}
#endif

int CVectorKernels_attendHead(const float *q, ptrdiff_t qStride, const float *k, ptrdiff_t kStride,
                              const float *v, ptrdiff_t vStride, float *out, ptrdiff_t outStride,
                              ptrdiff_t rows, ptrdiff_t length, ptrdiff_t dimension, float scale,
                              float *scores, ptrdiff_t scoresStride, float *workspace) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f")) return 0;
    if (rows > 0 && length > 0 && dimension > 0)
        attend_avx512(q, qStride, k, kStride, v, vStride, out, outStride, rows, length, dimension, scale,
                      scores, scoresStride, workspace);
    return 1;
#else
    (void)q; (void)qStride; (void)k; (void)kStride; (void)v; (void)vStride; (void)out; (void)outStride;
    (void)rows; (void)length; (void)dimension; (void)scale; (void)scores; (void)scoresStride; (void)workspace;
    return 0;
#endif
}

int CVectorKernels_attendSequence(const float *q, ptrdiff_t qStride, const float *k, ptrdiff_t kStride,
                                  const float *v, ptrdiff_t vStride, float *out, ptrdiff_t outStride,
                                  ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension, float scale,
                                  float *scores, ptrdiff_t scoresHeadStride, float *workspace) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f")) return 0;
    if (length <= 0 || heads <= 0 || dimension <= 0) return 1;
    const ptrdiff_t width = heads * dimension;
    const size_t row = (size_t)width * sizeof(float);
    float *queries = workspace, *keys = queries + length * width, *values = keys + length * width;
    float *results = values + length * width, *scratch = results + length * width;
    for (ptrdiff_t j = 0; j < length; j++) {
        memcpy(queries + j * width, q + j * qStride, row);
        memcpy(keys + j * width, k + j * kStride, row);
        memcpy(values + j * width, v + j * vStride, row);
    }
    for (ptrdiff_t h = 0; h < heads; h++)
        attend_avx512(queries + h * dimension, width, keys + h * dimension, width, values + h * dimension, width,
                      results + h * dimension, width, length, length, dimension, scale,
                      scores ? scores + h * scoresHeadStride : NULL, length, scratch);
    for (ptrdiff_t j = 0; j < length; j++) memcpy(out + j * outStride, results + j * width, row);
    return 1;
#else
    (void)q; (void)qStride; (void)k; (void)kStride; (void)v; (void)vStride; (void)out; (void)outStride;
    (void)length; (void)heads; (void)dimension; (void)scale; (void)scores; (void)scoresHeadStride; (void)workspace;
    return 0;
#endif
}
