// The pointwise steps of a transformer block: exact GELU and LayerNorm rows, in three variants
// chosen at run time (AVX-512F, AVX2+FMA, portable; see README.md): Swift's SIMD16 runs these
// 4 lanes at a time without -march.
#include "CVectorKernels.h"

#include <math.h>

#include "exp_portable.h"

// erf(z) by Abramowitz & Stegun 7.1.26, as PyTorch's vectorised CPU GELU:
// erf(|z|) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−z²), t = 1 / (1 + p·|z|),
// absolute error below 1.5e-7; the sign of z restored after. gelu(x) = x·½·(1 + erf(x/√2)).
#define ERF_P 0.3275911f
#define ERF_A1 0.254829592f
#define ERF_A2 -0.284496736f
#define ERF_A3 1.421413741f
#define ERF_A4 -1.453152027f
#define ERF_A5 1.061405429f
#define SQRT_HALF 0.70710678118654752f
// t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5)))) with one instruction set's fmadd, set1 and mul.
#define ERF_POLYNOMIAL(fmadd, set1, mul, t) \
    mul(fmadd(fmadd(fmadd(fmadd(set1(ERF_A5), t, set1(ERF_A4)), t, set1(ERF_A3)), t, set1(ERF_A2)), t, \
              set1(ERF_A1)), t)

static float gelu_portable(float x) {
    float z = x * SQRT_HALF, m = fabsf(z);
    float t = 1.0f / (1.0f + ERF_P * m);
    float polynomial = ((((ERF_A5 * t + ERF_A4) * t + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t;
    float e = 1.0f - polynomial * exp_portable_scalar(-m * m);
    return x * 0.5f * (1.0f + (z < 0 ? -e : e));
}

// One row of LayerNorm from its sums: mean and 1/sqrt(biased variance + eps), the variance
// from the centred squares (two passes, as the row is in cache).
static void layer_norm_row_portable(const float *x, float *y, ptrdiff_t d, const float *w, const float *b, float eps) {
    float sum = 0;
    for (ptrdiff_t i = 0; i < d; i++) sum += x[i];
    float mean = sum / (float)d, squares = 0;
    for (ptrdiff_t i = 0; i < d; i++) squares += (x[i] - mean) * (x[i] - mean);
    float inverse = (float)(1.0 / sqrt((double)(squares / (float)d) + (double)eps));
    for (ptrdiff_t i = 0; i < d; i++) y[i] = (x[i] - mean) * inverse * w[i] + b[i];
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "exp_avx2.h"
#include "exp_avx512.h"

static AVX2_FMA inline __m256 gelu_avx2(__m256 x) {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    __m256 z = _mm256_mul_ps(x, _mm256_set1_ps(SQRT_HALF));
    __m256 m = _mm256_andnot_ps(signBit, z);
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(_mm256_set1_ps(ERF_P), m, _mm256_set1_ps(1.0f)));
    __m256 p = ERF_POLYNOMIAL(_mm256_fmadd_ps, _mm256_set1_ps, _mm256_mul_ps, t);
    __m256 e = _mm256_fnmadd_ps(p, exp_avx2_fma(_mm256_mul_ps(_mm256_xor_ps(m, signBit), m)), _mm256_set1_ps(1.0f));
    e = _mm256_or_ps(e, _mm256_and_ps(z, signBit));  // erf is odd: z's sign onto erf(|z|) ≥ 0
    return _mm256_mul_ps(_mm256_mul_ps(x, _mm256_set1_ps(0.5f)), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

static AVX2_FMA void gelu_rows_avx2(float *values, ptrdiff_t count) {
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(values + i, gelu_avx2(_mm256_loadu_ps(values + i)));
    for (; i < count; i++) values[i] = gelu_portable(values[i]);
}

static AVX2_FMA float sum_avx2(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

static AVX2_FMA void layer_norm_row_avx2(const float *x, float *y, ptrdiff_t d, const float *w, const float *b,
                                         float eps) {
    const ptrdiff_t full = d & ~(ptrdiff_t)7;
    __m256 sums = _mm256_setzero_ps();
    for (ptrdiff_t i = 0; i < full; i += 8) sums = _mm256_add_ps(sums, _mm256_loadu_ps(x + i));
    float sum = sum_avx2(sums);
    for (ptrdiff_t i = full; i < d; i++) sum += x[i];
    const float mean = sum / (float)d;
    const __m256 meanVector = _mm256_set1_ps(mean);
    __m256 squares = _mm256_setzero_ps();
    for (ptrdiff_t i = 0; i < full; i += 8) {
        __m256 c = _mm256_sub_ps(_mm256_loadu_ps(x + i), meanVector);
        squares = _mm256_fmadd_ps(c, c, squares);
    }
    float square = sum_avx2(squares);
    for (ptrdiff_t i = full; i < d; i++) square += (x[i] - mean) * (x[i] - mean);
    const float inverse = (float)(1.0 / sqrt((double)(square / (float)d) + (double)eps));
    const __m256 inverseVector = _mm256_set1_ps(inverse);
    for (ptrdiff_t i = 0; i < full; i += 8) {
        __m256 n = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), meanVector), inverseVector);
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(n, _mm256_loadu_ps(w + i), _mm256_loadu_ps(b + i)));
    }
    for (ptrdiff_t i = full; i < d; i++) y[i] = (x[i] - mean) * inverse * w[i] + b[i];
}

static AVX512 inline __m512 gelu_avx512(__m512 x) {
    __m512 z = _mm512_mul_ps(x, _mm512_set1_ps(SQRT_HALF));
    __m512 m = _mm512_abs_ps(z);
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(ERF_P), m, _mm512_set1_ps(1.0f)));
    __m512 p = ERF_POLYNOMIAL(_mm512_fmadd_ps, _mm512_set1_ps, _mm512_mul_ps, t);
    __m512 e = _mm512_fnmadd_ps(p, exp_avx512(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), m), m)),
                                _mm512_set1_ps(1.0f));
    __mmask16 negative = _mm512_cmp_ps_mask(z, _mm512_setzero_ps(), _CMP_LT_OQ);
    e = _mm512_mask_sub_ps(e, negative, _mm512_setzero_ps(), e);  // erf is odd
    return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.5f)), _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

static AVX512 void gelu_rows_avx512(float *values, ptrdiff_t count) {
    const ptrdiff_t full = count & ~(ptrdiff_t)15;
    for (ptrdiff_t i = 0; i < full; i += 16) _mm512_storeu_ps(values + i, gelu_avx512(_mm512_loadu_ps(values + i)));
    if (full < count) {
        const __mmask16 tail = (__mmask16)((1u << (count - full)) - 1);
        _mm512_mask_storeu_ps(values + full, tail, gelu_avx512(_mm512_maskz_loadu_ps(tail, values + full)));
    }
}

static AVX512 void layer_norm_row_avx512(const float *x, float *y, ptrdiff_t d, const float *w, const float *b,
                                         float eps) {
    const ptrdiff_t full = d & ~(ptrdiff_t)15;
    const __mmask16 tail = (__mmask16)((1u << (d - full)) - 1);
    __m512 sums = _mm512_maskz_loadu_ps(tail, x + full);
    for (ptrdiff_t i = 0; i < full; i += 16) sums = _mm512_add_ps(sums, _mm512_loadu_ps(x + i));
    const float mean = _mm512_reduce_add_ps(sums) / (float)d;
    const __m512 meanVector = _mm512_set1_ps(mean);
    __m512 c = _mm512_maskz_sub_ps(tail, _mm512_maskz_loadu_ps(tail, x + full), meanVector);
    __m512 squares = _mm512_mul_ps(c, c);
    for (ptrdiff_t i = 0; i < full; i += 16) {
        c = _mm512_sub_ps(_mm512_loadu_ps(x + i), meanVector);
        squares = _mm512_fmadd_ps(c, c, squares);
    }
    const float inverse = (float)(1.0 / sqrt((double)(_mm512_reduce_add_ps(squares) / (float)d) + (double)eps));
    const __m512 inverseVector = _mm512_set1_ps(inverse);
    for (ptrdiff_t i = 0; i < full; i += 16) {
        __m512 n = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), meanVector), inverseVector);
        _mm512_storeu_ps(y + i, _mm512_fmadd_ps(n, _mm512_loadu_ps(w + i), _mm512_loadu_ps(b + i)));
    }
    if (tail) {
        __m512 n = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, x + full), meanVector), inverseVector);
        _mm512_mask_storeu_ps(y + full, tail, _mm512_fmadd_ps(n, _mm512_maskz_loadu_ps(tail, w + full),
                                                              _mm512_maskz_loadu_ps(tail, b + full)));
    }
}
#endif

// ---- dispatch ----------------------------------------------------------------------------

static int transformer_instruction_set(int limit) {
    int set = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) set = 2;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) set = 1;
#endif
    return set < limit ? set : limit;
}

void CVectorKernels_geluLimited(float *values, ptrdiff_t count, int limit) {
    switch (transformer_instruction_set(limit)) {
#if defined(__x86_64__) || defined(__i386__)
    case 2: gelu_rows_avx512(values, count); return;
    case 1: gelu_rows_avx2(values, count); return;
#endif
    default:
        for (ptrdiff_t i = 0; i < count; i++) values[i] = gelu_portable(values[i]);
    }
}

void CVectorKernels_gelu(float *values, ptrdiff_t count) { CVectorKernels_geluLimited(values, count, 2); }

void CVectorKernels_layerNormRowsLimited(const float *input, float *output, ptrdiff_t rows, ptrdiff_t dimension,
                                         const float *weight, const float *bias, float epsilon, int limit) {
    if (rows <= 0 || dimension <= 0) return;
    void (*row)(const float *, float *, ptrdiff_t, const float *, const float *, float) = layer_norm_row_portable;
#if defined(__x86_64__) || defined(__i386__)
    switch (transformer_instruction_set(limit)) {
    case 2: row = layer_norm_row_avx512; break;
    case 1: row = layer_norm_row_avx2; break;
    default: break;
    }
#endif
    for (ptrdiff_t r = 0; r < rows; r++) row(input + r * dimension, output + r * dimension, dimension, weight, bias, epsilon);
}

void CVectorKernels_layerNormRows(const float *input, float *output, ptrdiff_t rows, ptrdiff_t dimension,
                                  const float *weight, const float *bias, float epsilon) {
    CVectorKernels_layerNormRowsLimited(input, output, rows, dimension, weight, bias, epsilon, 2);
}
