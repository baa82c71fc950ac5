// Narrow-head axial attention along the rows of channel-major projection planes (see the
// header and axial_body.h), in three variants chosen at run time: AVX-512F, AVX2+FMA,
// portable.
#include "CVectorKernels.h"

#include <math.h>
#include <stddef.h>

#include "exp_portable.h"

enum { axial_portable = 0, axial_avx2 = 1, axial_avx512 = 2 };


static int axial_instruction_set(int limit) {
    int set = axial_portable;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) set = axial_avx512;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) set = axial_avx2;
#endif
    return limit < set ? limit : set;
}

// Row l < valid of the map (at map + l*laneStride) gets lane l of the `length` vectors at
// column + j*step times inverses[l], scalar.
static inline void axial_map_rows_scalar(const float *column, ptrdiff_t step, ptrdiff_t length, const float *inverses,
                                         float *map, int valid, ptrdiff_t laneStride) {
    for (int l = 0; l < valid; l++) {
        float *row = map + l * laneStride;
        for (ptrdiff_t j = 0; j < length; j++) row[j] = column[j * step + l] * inverses[l];
    }
}

// ---- portable: one lane ------------------------------------------------------------------

#define TARGET_ATTR
#define NAME(x) x##_portable
#define LANES 1
#define VEC float
#define MASK_TYPE int
#define MASK_OF(n) ((void)(n), 0)
#define VLOAD(p) (*(p))
#define VLOADMASK(p, m) ((void)(m), *(p))
#define VBROADCAST(p) (*(p))
#define VSTORE(p, x) (*(p) = (x))
#define VSTOREMASK(p, x, m) ((void)(m), *(p) = (x))
#define VZERO() 0.0f
#define VSET1(x) ((float)(x))
#define VFMA(a, b, c) ((a) * (b) + (c))
#define VADD(a, b) ((a) + (b))
#define VSUB(a, b) ((a) - (b))
#define VMUL(a, b) ((a) * (b))
#define VDIV(a, b) ((a) / (b))
#define VMAX(a, b) ((b) > (a) ? (b) : (a))
#define VEXP(x) exp_portable_scalar(x)
#define WRITE_MAP_ROWS axial_map_rows_scalar
#include "axial_body.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "exp_avx2.h"
#include "exp_avx512.h"
#include "transpose16_avx512.h"

// ---- AVX2 + FMA: eight lanes -------------------------------------------------------------

static AVX2_FMA inline __attribute__((always_inline)) __m256i axial_mask_avx2(int valid) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

#define TARGET_ATTR AVX2_FMA
#define NAME(x) x##_avx2
#define LANES 8
#define VEC __m256
#define MASK_TYPE __m256i
#define MASK_OF(n) axial_mask_avx2(n)
#define VLOAD(p) _mm256_loadu_ps(p)
#define VLOADMASK(p, m) _mm256_maskload_ps((p), (m))
#define VBROADCAST(p) _mm256_broadcast_ss(p)
#define VSTORE(p, x) _mm256_storeu_ps((p), (x))
#define VSTOREMASK(p, x, m) _mm256_maskstore_ps((p), (m), (x))
#define VZERO() _mm256_setzero_ps()
#define VSET1(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm256_add_ps((a), (b))
#define VSUB(a, b) _mm256_sub_ps((a), (b))
#define VMUL(a, b) _mm256_mul_ps((a), (b))
#define VDIV(a, b) _mm256_div_ps((a), (b))
#define VMAX(a, b) _mm256_max_ps((a), (b))
#define VEXP(x) exp_avx2_fma(x)
#define WRITE_MAP_ROWS axial_map_rows_scalar
#include "axial_body.h"

// ---- AVX-512F: sixteen lanes -------------------------------------------------------------

// e^x for x <= 0 (a score minus its row maximum): Cephes reduction and degree-7 polynomial as
// exp_avx512, with n rounded by vrndscaleps and 2^n applied by vscalefps (no integer work).
// max returns its second operand when either is NaN, so NaN stays NaN; x = -inf gives 0.
static AVX512 inline __attribute__((always_inline)) __m512 axial_exp_avx512(__m512 x) {
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), x);
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 y = exp_polynomial_avx512(r);
    return _mm512_scalef_ps(y, n);
}

// axial_map_rows_scalar with 16 lanes: 16 keys at a time through a register transpose.
static AVX512 inline void axial_map_rows_avx512(const float *column, ptrdiff_t step, ptrdiff_t length,
                                                const float *inverses, float *map, int valid, ptrdiff_t laneStride) {
    for (ptrdiff_t j0 = 0; j0 < length; j0 += 16) {
        const int keys = length - j0 < 16 ? (int)(length - j0) : 16;
        __m512 r[16];
        if (keys == 16) {
#pragma clang loop unroll(full)
            for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(column + (j0 + i) * step);
        } else {
            // The last keys: rows past `length` are zeros (never stored).
#pragma clang loop unroll(full)
            for (int i = 0; i < 16; i++) r[i] = _mm512_maskz_loadu_ps(i < keys ? 0xFFFF : 0, column + (j0 + (i < keys ? i : 0)) * step);
        }
        transpose16(r);
        const __mmask16 mask = keys == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << keys) - 1);
        if (valid == 16) {
#pragma clang loop unroll(full)
            for (int l = 0; l < 16; l++)
                _mm512_mask_storeu_ps(map + l * laneStride + j0, mask, _mm512_mul_ps(r[l], _mm512_set1_ps(inverses[l])));
        } else {
            for (int l = 0; l < valid; l++) {
                __m512 row = r[0];
                // r[l] by a switch-free select keeps r in registers.
                for (int i = 1; i < 16; i++) row = i == l ? r[i] : row;
                _mm512_mask_storeu_ps(map + l * laneStride + j0, mask, _mm512_mul_ps(row, _mm512_set1_ps(inverses[l])));
            }
        }
    }
}

#define TARGET_ATTR AVX512
#define NAME(x) x##_avx512
#define LANES 16
#define VEC __m512
#define MASK_TYPE __mmask16
#define MASK_OF(n) ((n) >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n)) - 1))
#define VLOAD(p) _mm512_loadu_ps(p)
#define VLOADMASK(p, m) _mm512_maskz_loadu_ps((m), (p))
#define VBROADCAST(p) _mm512_set1_ps(*(p))
#define VSTORE(p, x) _mm512_storeu_ps((p), (x))
#define VSTOREMASK(p, x, m) _mm512_mask_storeu_ps((p), (m), (x))
#define VZERO() _mm512_setzero_ps()
#define VSET1(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm512_add_ps((a), (b))
#define VSUB(a, b) _mm512_sub_ps((a), (b))
#define VMUL(a, b) _mm512_mul_ps((a), (b))
#define VDIV(a, b) _mm512_div_ps((a), (b))
#define VMAX(a, b) _mm512_max_ps((a), (b))
#define VEXP(x) axial_exp_avx512(x)
#define WRITE_MAP_ROWS axial_map_rows_avx512
#include "axial_body.h"
#endif

// ---- entry points ------------------------------------------------------------------------

ptrdiff_t CVectorKernels_axialWorkspace(ptrdiff_t length) { return 2 * 16 * (length > 0 ? length : 0); }

int CVectorKernels_axialAttendLimited(const float *q, const float *k, const float *v, ptrdiff_t planeStride,
                                      float *out, ptrdiff_t outStride, ptrdiff_t length, ptrdiff_t heads,
                                      ptrdiff_t dimension, ptrdiff_t first, ptrdiff_t last, float *scores,
                                      float *workspace, int limit) {
    if (dimension < 1 || dimension > 16) return 0;
    if (length <= 0 || heads <= 0 || first >= last) return 1;
    int e = (int)dimension;
    switch (axial_instruction_set(limit)) {
#if defined(__x86_64__) || defined(__i386__)
    case axial_avx512:
        attend_avx512(q, k, v, planeStride, out, outStride, length, heads, e, first, last, scores, workspace);
        break;
    case axial_avx2:
        attend_avx2(q, k, v, planeStride, out, outStride, length, heads, e, first, last, scores, workspace);
        break;
#endif
    default:
        attend_portable(q, k, v, planeStride, out, outStride, length, heads, e, first, last, scores, workspace);
    }
    return 1;
}

int CVectorKernels_axialAttend(const float *q, const float *k, const float *v, ptrdiff_t planeStride, float *out,
                               ptrdiff_t outStride, ptrdiff_t length, ptrdiff_t heads, ptrdiff_t dimension,
                               ptrdiff_t first, ptrdiff_t last, float *scores, float *workspace) {
    return CVectorKernels_axialAttendLimited(q, k, v, planeStride, out, outStride, length, heads, dimension, first,
                                             last, scores, workspace, axial_avx512);
}
