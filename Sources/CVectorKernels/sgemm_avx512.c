// Packed, cache-blocked SGEMM with an AVX-512F micro-kernel (see README.md), and the
// register-only FMA loops that measure the machine's peak.
//
// Row-major C = alpha·op(A)·op(B) + beta·C. Loops in the BLIS order: K in KC blocks, N in NC
// blocks (op(B) packed into NR-column panels, k-major), M in MC blocks (op(A) packed into
// MR-row panels, k-major), then NR × MR micro-tiles. The micro-kernel keeps an MR×NR tile of
// C in 28 zmm registers, loads two vectors of the B panel and broadcasts MR values of the A
// panel per k. Edge tiles run the same kernel on zero-padded panels and store with masks.
#include "CVectorKernels.h"

#include <stdint.h>
#include <string.h>

#ifndef SGEMM_KC
#define SGEMM_KC 256
#endif
#ifndef SGEMM_PACKED_KC
#define SGEMM_PACKED_KC 768
#endif
#ifndef SGEMM_MC
#define SGEMM_MC (14 * 12)
#endif

enum {
    MR = 14,        // rows of the register tile
    NR = 32,        // columns of the register tile (two zmm)
    KC = SGEMM_KC,  // depth of one packed block: a B micro-panel (KC×NR floats) stays in L1
    MC = SGEMM_MC,  // rows of one packed A block (MC×KC floats) stays in L2
    NC = 4096,      // columns of one packed B block (up to 4 MB, L3)
    PKC = SGEMM_PACKED_KC,  // depth of one block of a pre-packed B: panels stream from L2, C is
                            // updated once per block (768 measured 2% faster than 256 on 196×384×768)
    ALIGN = 16,     // floats: workspace panels start on 64-byte lines
};

static ptrdiff_t min_ptrdiff(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }
static ptrdiff_t round_up(ptrdiff_t x, ptrdiff_t step) { return (x + step - 1) / step * step; }

ptrdiff_t CVectorKernels_sgemmWorkspace(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k) {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    ptrdiff_t kc = min_ptrdiff(k, KC);
    ptrdiff_t mc = round_up(min_ptrdiff(m, MC), MR);
    ptrdiff_t nc = round_up(min_ptrdiff(n, NC), NR);
    return mc * kc + kc * nc + 2 * ALIGN;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

static AVX512 inline __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

// In-register transpose of a 16×16 block: r[i] holds row i, afterwards r[j] holds column j.
static AVX512 inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // Per group of four rows g: 4g + c holds column 4L + c of those rows in 128-bit lane L.
    for (int g = 0; g < 4; g++) {
        __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 2]);
        __m512d c = _mm512_castps_pd(t[4 * g + 1]), d = _mm512_castps_pd(t[4 * g + 3]);
        r[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, b));
        r[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, b));
        r[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(c, d));
        r[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(c, d));
    }
    // 4×4 transpose of 128-bit lanes for each c.
    for (int c = 0; c < 4; c++) {
        __m512 v0 = r[c], v1 = r[4 + c], v2 = r[8 + c], v3 = r[12 + c];
        __m512 u0 = _mm512_shuffle_f32x4(v0, v1, 0x44), u1 = _mm512_shuffle_f32x4(v0, v1, 0xEE);
        __m512 u2 = _mm512_shuffle_f32x4(v2, v3, 0x44), u3 = _mm512_shuffle_f32x4(v2, v3, 0xEE);
        t[c] = _mm512_shuffle_f32x4(u0, u2, 0x88);       // column c
        t[4 + c] = _mm512_shuffle_f32x4(u0, u2, 0xDD);   // column 4 + c
        t[8 + c] = _mm512_shuffle_f32x4(u1, u3, 0x88);   // column 8 + c
        t[12 + c] = _mm512_shuffle_f32x4(u1, u3, 0xDD);  // column 12 + c
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

// Packs `rows` (≤ 16) source rows of `cols` floats (row i at src + i*ld) transposed:
// column j goes to dst + j*dstStride, `width` floats (rows beyond `rows` are zero).
static AVX512 void pack_transposed(const float *src, ptrdiff_t ld, ptrdiff_t rows, ptrdiff_t cols,
                                   float *dst, ptrdiff_t dstStride, ptrdiff_t width) {
    const __mmask16 out = lanes(width);
    for (ptrdiff_t j = 0; j < cols; j += 16) {
        const ptrdiff_t count = min_ptrdiff(16, cols - j);
        const __mmask16 in = lanes(count);
        __m512 r[16];
        for (ptrdiff_t i = 0; i < 16; i++)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(in, src + i * ld + j) : _mm512_setzero_ps();
        transpose16(r);
        for (ptrdiff_t c = 0; c < count; c++) _mm512_mask_storeu_ps(dst + (j + c) * dstStride, out, r[c]);
    }
}

// Packs `cols` (≤ width) contiguous floats of each of `depth` source rows (row p at
// src + p*ld) to dst + p*width, zero-padded to `width` (≤ 32).
static AVX512 void pack_copy(const float *src, ptrdiff_t ld, ptrdiff_t depth, ptrdiff_t cols,
                             float *dst, ptrdiff_t width) {
    const __mmask16 m0 = lanes(cols), m1 = lanes(cols - 16);
    if (width > 16) {
        for (ptrdiff_t p = 0; p < depth; p++) {
            _mm512_storeu_ps(dst + p * width, _mm512_maskz_loadu_ps(m0, src + p * ld));
            _mm512_storeu_ps(dst + p * width + 16, _mm512_maskz_loadu_ps(m1, src + p * ld + 16));
        }
    } else {
        const __mmask16 w = lanes(width);
        for (ptrdiff_t p = 0; p < depth; p++)
            _mm512_mask_storeu_ps(dst + p * width, w, _mm512_maskz_loadu_ps(m0, src + p * ld));
    }
}

// op(A) rows [0, mc) × depth [0, kc) into MR-row panels: panel t holds rows t*MR.. at
// dst + t*MR*kc, element (row r, depth p) at p*MR + r.
static AVX512 void pack_a(int transA, const float *a, ptrdiff_t lda, ptrdiff_t mc, ptrdiff_t kc, float *dst) {
    for (ptrdiff_t i = 0; i < mc; i += MR) {
        const ptrdiff_t rows = min_ptrdiff(MR, mc - i);
        float *panel = dst + i * kc;
        if (transA) pack_copy(a + i, lda, kc, rows, panel, MR);  // A stored [k, m]
        else pack_transposed(a + i * lda, lda, rows, kc, panel, MR, MR);
    }
}

// op(B) depth [0, kc) × columns [0, nc) into NR-column panels: panel t holds columns t*NR..
// at dst + t*NR*kc, element (depth p, column j) at p*NR + j.
static AVX512 void pack_b(int transB, const float *b, ptrdiff_t ldb, ptrdiff_t kc, ptrdiff_t nc, float *dst) {
    for (ptrdiff_t j = 0; j < nc; j += NR) {
        const ptrdiff_t cols = min_ptrdiff(NR, nc - j);
        float *panel = dst + j * kc;
        if (!transB) {
            pack_copy(b + j, ldb, kc, cols, panel, NR);
        } else {  // B stored [n, k]: columns of op(B) are rows of B
            pack_transposed(b + j * ldb, ldb, min_ptrdiff(16, cols), kc, panel, NR, 16);
            if (cols > 16) pack_transposed(b + (j + 16) * ldb, ldb, cols - 16, kc, panel + 16, NR, 16);
            else for (ptrdiff_t p = 0; p < kc; p++) _mm512_storeu_ps(panel + p * NR + 16, _mm512_setzero_ps());
        }
    }
}

static AVX512 inline void store_row(float *c, __m512 x0, __m512 x1, __mmask16 m0, __mmask16 m1,
                                    __m512 alpha, float beta, __m512 bias0, __m512 bias1) {
    x0 = _mm512_fmadd_ps(x0, alpha, bias0);
    x1 = _mm512_fmadd_ps(x1, alpha, bias1);
    if (beta == 1.0f) {
        x0 = _mm512_add_ps(x0, _mm512_maskz_loadu_ps(m0, c));
        x1 = _mm512_add_ps(x1, _mm512_maskz_loadu_ps(m1, c + 16));
    } else if (beta != 0.0f) {
        const __m512 b = _mm512_set1_ps(beta);
        x0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m0, c), b, x0);
        x1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m1, c + 16), b, x1);
    }
    _mm512_mask_storeu_ps(c, m0, x0);
    _mm512_mask_storeu_ps(c + 16, m1, x1);
}

#define ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)

// The 28 accumulators of a tile: row r's 32 columns in c<r>0 and c<r>1.
#define DECLARE_ROW(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps();
#define DECLARE_TILE() ROWS(DECLARE_ROW)

// The tile's epilogue (in a micro-kernel, with its mr, nr, alpha, beta, bias, c, ldc):
// rows below mr and columns below nr of alpha·acc + bias + beta·C stored.
#define STORE_ROW(r) if (r < mr) store_row(c + r * ldc, c##r##0, c##r##1, m0, m1, scale, beta, bias0, bias1);
#define STORE_TILE()                                                                                \
    const __mmask16 m0 = lanes(nr), m1 = lanes(nr - 16);                                           \
    const __m512 scale = _mm512_set1_ps(alpha);                                                   \
    const __m512 bias0 = bias ? _mm512_maskz_loadu_ps(m0, bias) : _mm512_setzero_ps();            \
    const __m512 bias1 = bias ? _mm512_maskz_loadu_ps(m1, bias + 16) : _mm512_setzero_ps();       \
    ROWS(STORE_ROW)

// C[0, mr) × [0, nr) = alpha · (A panel · B panel) + beta · C (+ bias[0, nr) on every row when
// `bias` is not NULL), C read only when beta ≠ 0.
static AVX512 __attribute__((noinline)) void micro_kernel(ptrdiff_t kc, const float *restrict pa, const float *restrict pb,
                                float *c, ptrdiff_t ldc, ptrdiff_t mr, ptrdiff_t nr, float alpha, float beta,
                                const float *bias) {
    DECLARE_TILE()
    for (ptrdiff_t r = 0; r < mr; r++) _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
#define STEP(r)                                                   \
    {                                                             \
        const __m512 x = _mm512_set1_ps(pa[r]);                   \
        c##r##0 = _mm512_fmadd_ps(x, b0, c##r##0);                \
        c##r##1 = _mm512_fmadd_ps(x, b1, c##r##1);                \
    }
    for (ptrdiff_t p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_loadu_ps(pb), b1 = _mm512_loadu_ps(pb + 16);
        ROWS(STEP)
        pa += MR;
        pb += NR;
    }
#undef STEP
    STORE_TILE()
}

// The same with the A panel read in place from row-major op(A) (row r at a + r*lda):
// for narrow products (n ≤ 2·NR) each A element is used by at most two tiles, and packing
// it (a transpose) cost more than the reads it saves.
static AVX512 __attribute__((noinline)) void micro_kernel_direct(
    ptrdiff_t kc, const float *restrict a, ptrdiff_t lda, const float *restrict pb, float *c, ptrdiff_t ldc,
    ptrdiff_t mr, ptrdiff_t nr, float alpha, float beta, const float *bias) {
    DECLARE_TILE()
    // Rows past mr repeat the last row (their results are not stored).
    const float *row[MR];
    for (ptrdiff_t r = 0; r < MR; r++) row[r] = a + (r < mr ? r : mr - 1) * lda;
    const float *a0 = row[0], *a1 = row[1], *a2 = row[2], *a3 = row[3], *a4 = row[4], *a5 = row[5], *a6 = row[6];
    const float *a7 = row[7], *a8 = row[8], *a9 = row[9], *a10 = row[10], *a11 = row[11], *a12 = row[12], *a13 = row[13];
#define STEP(r)                                                   \
    {                                                             \
        const __m512 x = _mm512_set1_ps(a##r[p]);                 \
        c##r##0 = _mm512_fmadd_ps(x, b0, c##r##0);                \
        c##r##1 = _mm512_fmadd_ps(x, b1, c##r##1);                \
    }
    for (ptrdiff_t p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_loadu_ps(pb), b1 = _mm512_loadu_ps(pb + 16);
        ROWS(STEP)
        pb += NR;
    }
#undef STEP
    STORE_TILE()
}

static AVX512 void scale_c(ptrdiff_t m, ptrdiff_t n, float beta, float *c, ptrdiff_t ldc) {
    const __m512 b = _mm512_set1_ps(beta);
    for (ptrdiff_t i = 0; i < m; i++) {
        float *row = c + i * ldc;
        for (ptrdiff_t j = 0; j < n; j += 16) {
            const __mmask16 mask = lanes(n - j);
            const __m512 x = beta == 0.0f ? _mm512_setzero_ps() : _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + j), b);
            _mm512_mask_storeu_ps(row + j, mask, x);
        }
    }
}

static AVX512 void sgemm_avx512(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float beta,
                                float *c, ptrdiff_t ldc, float *workspace) {
    if (k == 0 || alpha == 0.0f) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
    float *aligned = (float *)(((uintptr_t)workspace + 63) & ~(uintptr_t)63);
    const ptrdiff_t kcMax = min_ptrdiff(k, KC);
    float *packedA = aligned;
    float *packedB = aligned + round_up(round_up(min_ptrdiff(m, MC), MR) * kcMax, ALIGN);
    for (ptrdiff_t jc = 0; jc < n; jc += NC) {
        const ptrdiff_t nc = min_ptrdiff(NC, n - jc);
        for (ptrdiff_t pc = 0; pc < k; pc += KC) {
            const ptrdiff_t kc = min_ptrdiff(KC, k - pc);
            const float effectiveBeta = pc == 0 ? beta : 1.0f;
            pack_b(transB, transB ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, kc, nc, packedB);
            if (!transA && nc <= 2 * NR) {  // narrow: A read in place, not packed
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    const ptrdiff_t nr = min_ptrdiff(NR, nc - jr);
                    for (ptrdiff_t ir = 0; ir < m; ir += MR)
                        micro_kernel_direct(kc, a + ir * lda + pc, lda, packedB + jr * kc, c + ir * ldc + jc + jr, ldc,
                                            min_ptrdiff(MR, m - ir), nr, alpha, effectiveBeta, NULL);
                }
                continue;
            }
            for (ptrdiff_t ic = 0; ic < m; ic += MC) {
                const ptrdiff_t mc = min_ptrdiff(MC, m - ic);
                pack_a(transA, transA ? a + pc * lda + ic : a + ic * lda + pc, lda, mc, kc, packedA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    const float *pb = packedB + jr * kc;
                    const ptrdiff_t nr = min_ptrdiff(NR, nc - jr);
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        micro_kernel(kc, packedA + ir * kc, pb, c + (ic + ir) * ldc + jc + jr, ldc,
                                     min_ptrdiff(MR, mc - ir), nr, alpha, effectiveBeta, NULL);
                    }
                }
            }
        }
    }
}

// ---- pre-packed B -------------------------------------------------------------------------
//
// A constant op(B) (k×n, e.g. a layer's weight) packed once: PKC-deep blocks one after the
// other, block pc holding the NR-column panels of depth [pc, pc + kc) at packed + pc·np
// (np = n rounded up to NR), panel j at + j·kc, element (depth p, column j + q) at p·NR + q,
// columns past n zero. A column range starting on a panel boundary is a slice of every block.

static AVX512 void pack_b_all(int transB, ptrdiff_t k, ptrdiff_t n, const float *b, ptrdiff_t ldb, float *packed) {
    const ptrdiff_t np = round_up(n, NR);
    for (ptrdiff_t pc = 0; pc < k; pc += PKC) {
        const ptrdiff_t kc = min_ptrdiff(PKC, k - pc);
        pack_b(transB, transB ? b + pc : b + pc * ldb, ldb, kc, n, packed + pc * np);
    }
}

// Where the MR-row A panels come from: a row-major (or transposed) matrix, or the p×p patches
// of NCHW images (row = patch in row-major grid order, images one after the other; depth =
// (channel, ky, kx) as a convolution weight [D, C, p, p] flattens).
typedef struct {
    int transA;
    const float *a;
    ptrdiff_t lda;
    // Patches (a == NULL): images [*, channels, height, width] at `image`; row 0 of this
    // product is patch `firstRow` of the whole batch.
    const float *image;
    ptrdiff_t channels, height, width, patch, firstRow;
} a_source;

// Patch rows [row0, row0 + mc) × depth [pc, pc + kc) into MR-row panels (pack_a's layout).
static AVX512 void pack_a_patches(const a_source *src, ptrdiff_t row0, ptrdiff_t mc, ptrdiff_t pc, ptrdiff_t kc,
                                  float *dst) {
    const ptrdiff_t p = src->patch, w = src->width, plane = src->height * w;
    const ptrdiff_t gridColumns = w / p, perImage = (src->height / p) * gridColumns;
    const __mmask16 out = lanes(MR);
    for (ptrdiff_t i = 0; i < mc; i += MR) {
        const ptrdiff_t rows = min_ptrdiff(MR, mc - i);
        const float *base[MR];
        for (ptrdiff_t r = 0; r < rows; r++) {
            const ptrdiff_t t = src->firstRow + row0 + i + r, image = t / perImage, token = t % perImage;
            base[r] = src->image + image * src->channels * plane + (token / gridColumns) * p * w
                + (token % gridColumns) * p;
        }
        float *panel = dst + i * kc;
        for (ptrdiff_t d = pc; d < pc + kc;) {
            const ptrdiff_t channel = d / (p * p), ky = d / p % p, kx = d % p;
            const ptrdiff_t count = min_ptrdiff(min_ptrdiff(16, p - kx), pc + kc - d);
            const ptrdiff_t offset = channel * plane + ky * w + kx;
            const __mmask16 in = lanes(count);
            __m512 v[16];
            for (ptrdiff_t r = 0; r < 16; r++)
                v[r] = r < rows ? _mm512_maskz_loadu_ps(in, base[r] + offset) : _mm512_setzero_ps();
            transpose16(v);
            for (ptrdiff_t q = 0; q < count; q++) _mm512_mask_storeu_ps(panel + (d - pc + q) * MR, out, v[q]);
            d += count;
        }
    }
}

// C rows [0, m) × columns [0, n) of the packed B's columns [column, column + n).
static AVX512 void sgemm_packed(const a_source *src, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                const float *packed, ptrdiff_t packedColumns, ptrdiff_t column, float beta,
                                const float *bias, float *c, ptrdiff_t ldc, float *workspace) {
    if (k == 0 || alpha == 0.0f) {
        scale_c(m, n, beta, c, ldc);
        if (bias)
            for (ptrdiff_t i = 0; i < m; i++)
                for (ptrdiff_t j = 0; j < n; j++) c[i * ldc + j] += bias[j];
        return;
    }
    float *packedA = (float *)(((uintptr_t)workspace + 63) & ~(uintptr_t)63);
    const ptrdiff_t np = round_up(packedColumns, NR);
    const int direct = src->a != NULL && !src->transA && n <= 2 * NR;
    for (ptrdiff_t pc = 0; pc < k; pc += PKC) {
        const ptrdiff_t kc = min_ptrdiff(PKC, k - pc);
        const float *block = packed + pc * np + column * kc;
        const float effectiveBeta = pc == 0 ? beta : 1.0f;
        const float *effectiveBias = pc == 0 ? bias : NULL;
        if (direct) {  // narrow: A read in place, as sgemm_avx512 does
            for (ptrdiff_t jr = 0; jr < n; jr += NR)
                for (ptrdiff_t ir = 0; ir < m; ir += MR)
                    micro_kernel_direct(kc, src->a + ir * src->lda + pc, src->lda, block + jr * kc,
                                        c + ir * ldc + jr, ldc, min_ptrdiff(MR, m - ir), min_ptrdiff(NR, n - jr),
                                        alpha, effectiveBeta, effectiveBias ? effectiveBias + jr : NULL);
            continue;
        }
        for (ptrdiff_t ic = 0; ic < m; ic += MC) {
            const ptrdiff_t mc = min_ptrdiff(MC, m - ic);
            if (src->a)
                pack_a(src->transA, src->transA ? src->a + pc * src->lda + ic : src->a + ic * src->lda + pc,
                       src->lda, mc, kc, packedA);
            else
                pack_a_patches(src, ic, mc, pc, kc, packedA);
            for (ptrdiff_t jr = 0; jr < n; jr += NR) {
                const float *pb = block + jr * kc;
                const ptrdiff_t nr = min_ptrdiff(NR, n - jr);
                for (ptrdiff_t ir = 0; ir < mc; ir += MR)
                    micro_kernel(kc, packedA + ir * kc, pb, c + (ic + ir) * ldc + jr, ldc, min_ptrdiff(MR, mc - ir),
                                 nr, alpha, effectiveBeta, effectiveBias ? effectiveBias + jr : NULL);
            }
        }
    }
}

// ---- FMA peak ----------------------------------------------------------------------------

#define AVX2 __attribute__((target("avx2,fma")))

static AVX512 double fma_loop_avx512(ptrdiff_t iterations) {
    __m512 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps((float)i * 1e-3f);
    const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (ptrdiff_t it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]),
                         "+v"(acc[5]), "+v"(acc[6]), "+v"(acc[7]), "+v"(acc[8]), "+v"(acc[9]),
                         "+v"(acc[10]), "+v"(acc[11]));
    }
    __m512 sum = acc[0];
    for (int i = 1; i < 12; i++) sum = _mm512_add_ps(sum, acc[i]);
    volatile float sink = _mm512_reduce_add_ps(sum);
    (void)sink;
    return (double)iterations * 12 * 16 * 2;
}

static AVX2 double fma_loop_avx2(ptrdiff_t iterations) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i * 1e-3f);
    const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (ptrdiff_t it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+x"(acc[0]), "+x"(acc[1]), "+x"(acc[2]), "+x"(acc[3]), "+x"(acc[4]),
                         "+x"(acc[5]), "+x"(acc[6]), "+x"(acc[7]), "+x"(acc[8]), "+x"(acc[9]),
                         "+x"(acc[10]), "+x"(acc[11]));
    }
    float lanes8[8];
    __m256 sum = acc[0];
    for (int i = 1; i < 12; i++) sum = _mm256_add_ps(sum, acc[i]);
    _mm256_storeu_ps(lanes8, sum);
    volatile float sink = lanes8[0];
    (void)sink;
    return (double)iterations * 12 * 8 * 2;
}

#endif

// ---- dispatch ----------------------------------------------------------------------------

static int has_avx512f(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

int CVectorKernels_sgemmAvailable(void) { return has_avx512f(); }

int CVectorKernels_sgemm(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                         const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float beta,
                         float *c, ptrdiff_t ldc, float *workspace) {
    if (!has_avx512f()) return 0;
#if defined(__x86_64__) || defined(__i386__)
    if (m > 0 && n > 0) sgemm_avx512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, workspace);
    return 1;
#else
    return 0;
#endif
}

ptrdiff_t CVectorKernels_sgemmPackedCount(ptrdiff_t k, ptrdiff_t n) {
    if (k <= 0 || n <= 0) return 0;
    return k * round_up(n, NR);
}

ptrdiff_t CVectorKernels_sgemmPackedWorkspace(ptrdiff_t m, ptrdiff_t k) {
    if (m <= 0 || k <= 0) return 0;
    return round_up(min_ptrdiff(m, MC), MR) * min_ptrdiff(k, PKC) + ALIGN;
}

int CVectorKernels_sgemmPackB(int transB, ptrdiff_t k, ptrdiff_t n, const float *b, ptrdiff_t ldb, float *packed) {
    if (!has_avx512f()) return 0;
#if defined(__x86_64__) || defined(__i386__)
    if (k > 0 && n > 0) pack_b_all(transB, k, n, b, ldb, packed);
    return 1;
#else
    return 0;
#endif
}

int CVectorKernels_sgemmPacked(int transA, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a,
                               ptrdiff_t lda, const float *packed, ptrdiff_t packedColumns, ptrdiff_t column,
                               float beta, const float *bias, float *c, ptrdiff_t ldc, float *workspace) {
    if (!has_avx512f() || column % NR != 0 || column < 0 || column + n > packedColumns) return 0;
#if defined(__x86_64__) || defined(__i386__)
    const a_source src = {transA, a, lda, NULL, 0, 0, 0, 0, 0};
    if (m > 0 && n > 0) sgemm_packed(&src, m, n, k, alpha, packed, packedColumns, column, beta, bias, c, ldc, workspace);
    return 1;
#else
    return 0;
#endif
}

int CVectorKernels_sgemmPatches(const float *images, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t patch, ptrdiff_t firstRow, ptrdiff_t rows, const float *packed,
                                ptrdiff_t n, const float *bias, float *c, ptrdiff_t ldc, float *workspace) {
    if (!has_avx512f() || patch <= 0 || height < patch || width < patch) return 0;
#if defined(__x86_64__) || defined(__i386__)
    const a_source src = {0, NULL, 0, images, channels, height, width, patch, firstRow};
    if (rows > 0 && n > 0)
        sgemm_packed(&src, rows, n, channels * patch * patch, 1.0f, packed, n, 0, 0.0f, bias, c, ldc, workspace);
    return 1;
#else
    return 0;
#endif
}

double CVectorKernels_fmaPeakLoop(int instructionSet, ptrdiff_t iterations) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (instructionSet == 2 && __builtin_cpu_supports("avx512f")) return fma_loop_avx512(iterations);
    if (instructionSet == 1 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return fma_loop_avx2(iterations);
#endif
    (void)instructionSet;
    (void)iterations;
    return 0;
}
