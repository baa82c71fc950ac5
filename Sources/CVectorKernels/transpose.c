// Plane transposes for the axial plane path (see the header): 16×16 blocks in AVX-512
// registers, scalar edges; a portable scalar variant.
#include "CVectorKernels.h"

static void transpose_portable(const float *source, ptrdiff_t rows, ptrdiff_t columns, float *target) {
    // Blocks of 16×16, element by element.
    for (ptrdiff_t i0 = 0; i0 < rows; i0 += 16) {
        for (ptrdiff_t j0 = 0; j0 < columns; j0 += 16) {
            ptrdiff_t i1 = i0 + 16 < rows ? i0 + 16 : rows, j1 = j0 + 16 < columns ? j0 + 16 : columns;
            for (ptrdiff_t i = i0; i < i1; i++)
                for (ptrdiff_t j = j0; j < j1; j++) target[j * rows + i] = source[i * columns + j];
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "transpose16_avx512.h"

static TRANSPOSE_AVX512 void transpose_avx512(const float *source, ptrdiff_t rows, ptrdiff_t columns, float *target) {
    const ptrdiff_t fullRows = rows & ~(ptrdiff_t)15, fullColumns = columns & ~(ptrdiff_t)15;
    for (ptrdiff_t i0 = 0; i0 < fullRows; i0 += 16) {
        for (ptrdiff_t j0 = 0; j0 < fullColumns; j0 += 16) {
            __m512 r[16];
            for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(source + (i0 + i) * columns + j0);
            transpose16(r);
            for (int j = 0; j < 16; j++) _mm512_storeu_ps(target + (j0 + j) * rows + i0, r[j]);
        }
    }
    // Edges: the last columns of every row, then the last rows.
    for (ptrdiff_t i = 0; i < fullRows; i++)
        for (ptrdiff_t j = fullColumns; j < columns; j++) target[j * rows + i] = source[i * columns + j];
    for (ptrdiff_t i = fullRows; i < rows; i++)
        for (ptrdiff_t j = 0; j < columns; j++) target[j * rows + i] = source[i * columns + j];
}
#endif

void CVectorKernels_transposePlanesLimited(const float *source, ptrdiff_t sourceStride, float *target,
                                           ptrdiff_t targetStride, ptrdiff_t planes, ptrdiff_t rows,
                                           ptrdiff_t columns, int limit) {
    if (planes <= 0 || rows <= 0 || columns <= 0) return;
    int wide = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    wide = limit >= 2 && __builtin_cpu_supports("avx512f");
#endif
    for (ptrdiff_t p = 0; p < planes; p++) {
        const float *s = source + p * sourceStride;
        float *t = target + p * targetStride;
#if defined(__x86_64__) || defined(__i386__)
        if (wide) {
            transpose_avx512(s, rows, columns, t);
            continue;
        }
#endif
        transpose_portable(s, rows, columns, t);
    }
}

void CVectorKernels_transposePlanes(const float *source, ptrdiff_t sourceStride, float *target,
                                    ptrdiff_t targetStride, ptrdiff_t planes, ptrdiff_t rows, ptrdiff_t columns) {
    CVectorKernels_transposePlanesLimited(source, sourceStride, target, targetStride, planes, rows, columns, 2);
}
