// The AVX-512 exp shared by the softmax and attention kernels (internal header).
#ifndef CVECTORKERNELS_EXP_AVX512_H
#define CVECTORKERNELS_EXP_AVX512_H

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

// e^r for |r| ≤ ln(2)/2: Cephes's degree-7 polynomial, 1 + r + r²·p(r).
static AVX512 inline __attribute__((always_inline)) __m512 exp_polynomial_avx512(__m512 r) {
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return y;
}

// e^x per lane: Cephes reduction, degree-7 polynomial, 2^n in two halves (see README.md).
// max/min return their second operand when either is NaN, so NaN stays NaN.
static AVX512 inline __attribute__((always_inline)) __m512 exp_avx512(__m512 x) {
    x = _mm512_min_ps(_mm512_set1_ps(89.0f), _mm512_max_ps(_mm512_set1_ps(-104.0f), x));
    const __m512 magic = _mm512_set1_ps(12582912.0f);
    __m512 shifted = _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), magic);
    __m512 n = _mm512_sub_ps(shifted, magic);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 y = exp_polynomial_avx512(r);
    __m512i exponent = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000));
    __m512i half = _mm512_srai_epi32(exponent, 1);
    __m512i rest = _mm512_sub_epi32(exponent, half);
    __m512 s1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(half, _mm512_set1_epi32(127)), 23));
    __m512 s2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(rest, _mm512_set1_epi32(127)), 23));
    return _mm512_mul_ps(_mm512_mul_ps(y, s1), s2);
}

#endif
