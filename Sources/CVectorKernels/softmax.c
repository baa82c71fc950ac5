// Softmax rows with a vectorised exp, in three variants chosen at run time (see README.md).
#include "CVectorKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "exp_portable.h"

// ---- portable ----------------------------------------------------------------------------

static void softmax_row_portable(float *row, ptrdiff_t length) {
    float largest = -INFINITY;
    int nan = 0;
    for (ptrdiff_t i = 0; i < length; i++) {
        if (row[i] != row[i]) nan = 1;
        if (row[i] > largest) largest = row[i];
    }
    if (nan) largest = NAN;
    float sum = 0;
    for (ptrdiff_t i = 0; i < length; i++) {
        row[i] = exp_portable_scalar(row[i] - largest);
        sum += row[i];
    }
    float inverse = 1.0f / sum;
    for (ptrdiff_t i = 0; i < length; i++) row[i] *= inverse;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// ---- AVX2 + FMA --------------------------------------------------------------------------

#define AVX2 __attribute__((target("avx2,fma")))

#include "exp_avx2.h"

static AVX2 void softmax_row_avx2(float *row, ptrdiff_t length) {
    __m256 best = _mm256_set1_ps(-INFINITY);
    __m256 unordered = _mm256_setzero_ps();
    ptrdiff_t i = 0;
    for (; i + 8 <= length; i += 8) {
        __m256 v = _mm256_loadu_ps(row + i);
        unordered = _mm256_or_ps(unordered, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        best = _mm256_max_ps(best, v);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, best);
    float largest = -INFINITY;
    for (int j = 0; j < 8; j++) if (lanes[j] > largest) largest = lanes[j];
    int nan = _mm256_movemask_ps(unordered) != 0;
    for (ptrdiff_t j = i; j < length; j++) {
        if (row[j] != row[j]) nan = 1;
        if (row[j] > largest) largest = row[j];
    }
    if (nan) largest = NAN;
    const __m256 shift = _mm256_set1_ps(largest);
    __m256 sums = _mm256_setzero_ps();
    for (i = 0; i + 8 <= length; i += 8) {
        __m256 e = exp_avx2_fma(_mm256_sub_ps(_mm256_loadu_ps(row + i), shift));
        _mm256_storeu_ps(row + i, e);
        sums = _mm256_add_ps(sums, e);
    }
    _mm256_storeu_ps(lanes, sums);
    float sum = 0;
    for (int j = 0; j < 8; j++) sum += lanes[j];
    if (i < length) {
        float tail[8];
        for (int j = 0; j < 8; j++) tail[j] = i + j < length ? row[i + j] - largest : -INFINITY;
        _mm256_storeu_ps(tail, exp_avx2_fma(_mm256_loadu_ps(tail)));
        for (ptrdiff_t j = 0; i + j < length; j++) {
            row[i + j] = tail[j];
            sum += tail[j];
        }
    }
    const __m256 inverse = _mm256_set1_ps(1.0f / sum);
    for (i = 0; i + 8 <= length; i += 8) _mm256_storeu_ps(row + i, _mm256_mul_ps(_mm256_loadu_ps(row + i), inverse));
    for (; i < length; i++) row[i] *= 1.0f / sum;
}

// ---- AVX-512F ----------------------------------------------------------------------------

#include "exp_avx512.h"


void CVectorKernels_softmaxRowAVX512(float *row, ptrdiff_t length);
AVX512 void CVectorKernels_softmaxRowAVX512(float *row, ptrdiff_t length) {
    // Full 16-lane blocks use plain loads and stores, only the tail is masked: a masked store
    // does not forward to the next pass's load and stalls it.
    const __m512 negativeInfinity = _mm512_set1_ps(-INFINITY);
    const ptrdiff_t full = length & ~(ptrdiff_t)15;
    const __mmask16 tail = (__mmask16)((1u << (length - full)) - 1);
    __m512 best = negativeInfinity;
    __mmask16 unordered = 0;
    for (ptrdiff_t i = 0; i < full; i += 16) {
        __m512 v = _mm512_loadu_ps(row + i);
        unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        best = _mm512_max_ps(best, v);
    }
    if (tail) {
        __m512 v = _mm512_mask_loadu_ps(negativeInfinity, tail, row + full);
        unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        best = _mm512_max_ps(best, v);
    }
    float largest = unordered ? NAN : _mm512_reduce_max_ps(best);
    const __m512 shift = _mm512_set1_ps(largest);
    __m512 sums = _mm512_setzero_ps();
    for (ptrdiff_t i = 0; i < full; i += 16) {
        __m512 e = exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(row + i), shift));
        _mm512_storeu_ps(row + i, e);
        sums = _mm512_add_ps(sums, e);
    }
    __m512 last = _mm512_setzero_ps();
    if (tail) {
        last = _mm512_maskz_mov_ps(tail, exp_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, row + full), shift)));
        sums = _mm512_add_ps(sums, last);
    }
    const __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sums));
    for (ptrdiff_t i = 0; i < full; i += 16) _mm512_storeu_ps(row + i, _mm512_mul_ps(_mm512_loadu_ps(row + i), inverse));
    if (tail) _mm512_mask_storeu_ps(row + full, tail, _mm512_mul_ps(last, inverse));
}

#endif

// ---- dispatch ----------------------------------------------------------------------------

enum { portable = 0, avx2 = 1, avx512 = 2 };

static int instruction_set(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2;
#endif
    return portable;
}

const char *CVectorKernels_instructionSet(void) {
    static const char *names[] = {"portable", "avx2", "avx512f"};
    return names[instruction_set()];
}

void CVectorKernels_softmaxRowsLimited(float *buffer, ptrdiff_t rows, ptrdiff_t length, ptrdiff_t stride, int limit) {
    if (rows <= 0 || length <= 0) return;
    int set = instruction_set();
    if (limit < set) set = limit;
    switch (set) {
#if defined(__x86_64__) || defined(__i386__)
    case avx512:
        for (ptrdiff_t r = 0; r < rows; r++) CVectorKernels_softmaxRowAVX512(buffer + r * stride, length);
        break;
    case avx2:
        for (ptrdiff_t r = 0; r < rows; r++) softmax_row_avx2(buffer + r * stride, length);
        break;
#endif
    default:
        for (ptrdiff_t r = 0; r < rows; r++) softmax_row_portable(buffer + r * stride, length);
    }
}

void CVectorKernels_softmaxRows(float *buffer, ptrdiff_t rows, ptrdiff_t length, ptrdiff_t stride) {
    CVectorKernels_softmaxRowsLimited(buffer, rows, length, stride, avx512);
}
