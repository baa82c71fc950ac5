/* SGEMM backends on the package's shapes: the package's former AVX-512 kernel (threaded as
 * TensorCore.BLAS did it; the script takes its source from the git history), OpenBLAS cblas_sgemm, or BLIS bli_sgemm; one backend per binary
 * (built by tools/bench_sgemm_backends.sh with -DBACKEND_OWN / _OPENBLAS / _BLIS), so the
 * script can interleave them as separate processes. Not part of the package.
 *   bench THREADS REPEATS  -> one line per shape: backend threads label m n k gflops
 * and a first line with the CPU, the backend's own kernel name and the FMA peaks. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "CVectorKernels.h"
#if defined(BACKEND_OPENBLAS)
#include <cblas.h>
char *openblas_get_corename(void);
void openblas_set_num_threads(int);
#elif defined(BACKEND_BLIS)
#include <blis.h>
#endif

/* `weight`: op(B) is a layer's weight, which the package packed once at load with its own
 * kernel (TensorCore.BLAS.PackedMatrix); the own binary then also times that path ("own-packed"). */
typedef struct { const char *label; int m, n, k, transA, transB, weight; } shape;

/* Every GEMM shape the package runs (bench shapes of tools/bench_forward.sh, the renders'
 * axial and coordinate products, and the ViT-S/16 and ViT-B/16 blocks at 224, 197 tokens). */
static const shape shapes[] = {
    { "1024^3", 1024, 1024, 1024, 0, 0 },
    { "mhsa.qkv", 1024, 576, 192, 0, 1, 1 },
    { "mhsa.scores", 1024, 1024, 64, 0, 1 },
    { "mhsa.av", 1024, 64, 1024, 0, 0 },
    { "mhsa.proj", 1024, 192, 192, 0, 1, 1 },
    { "axial.qkv", 192, 4096, 64, 0, 0 },
    { "axial.out.sum", 64, 4096, 128, 0, 0 },
    { "axial.out", 64, 4096, 64, 0, 0 },
    { "coord.conv1", 8, 112, 64, 0, 0 },
    { "coord.gate", 64, 56, 8, 0, 0 },
    { "vits.patch", 196, 384, 768, 0, 1, 1 },
    { "vits.qkv", 197, 1152, 384, 0, 1, 1 },
    { "vits.proj", 197, 384, 384, 0, 1, 1 },
    { "vits.fc1", 197, 1536, 384, 0, 1, 1 },
    { "vits.fc2", 197, 384, 1536, 0, 1, 1 },
    { "vit.qk", 197, 197, 64, 0, 1 },
    { "vit.av", 197, 64, 197, 0, 0 },
    { "vitb.patch", 196, 768, 768, 0, 1, 1 },
    { "vitb.qkv", 197, 2304, 768, 0, 1, 1 },
    { "vitb.proj", 197, 768, 768, 0, 1, 1 },
    { "vitb.fc1", 197, 3072, 768, 0, 1, 1 },
    { "vitb.fc2", 197, 768, 3072, 0, 1, 1 },
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int threads = 1;

#if defined(BACKEND_OWN)
/* What TensorCore.BLAS.visSgemm did: blocks of 14-row tiles (or 32-column tiles when rows are few)
 * over the package's fork-join pool, one packing workspace per worker and call. */
typedef struct { int tA, tB; ptrdiff_t m, n, k, lda, ldb, ldc, workers, tiles; int splitRows;
                 const float *a, *b; float *c; const float *packed; } job;
static void run(void *context, ptrdiff_t worker) {
    job *j = context;
    ptrdiff_t size = j->splitRows ? 14 : 32, limit = j->splitRows ? j->m : j->n;
    ptrdiff_t start = worker * j->tiles / j->workers * size, end = (worker + 1) * j->tiles / j->workers * size;
    if (start > limit) start = limit;
    if (end > limit) end = limit;
    if (end <= start) return;
    ptrdiff_t rows = j->splitRows ? end - start : j->m, columns = j->splitRows ? j->n : end - start;
    const float *a = j->a, *b = j->b;
    float *c = j->c;
    if (j->packed) {  /* as TensorCore.BLAS.sgemm(m:a:b: PackedMatrix) did: the same split */
        float *workspace = malloc(sizeof(float) * (size_t)(CVectorKernels_sgemmPackedWorkspace(rows, j->k) + 1));
        ptrdiff_t column = 0;
        if (j->splitRows) { a = j->tA ? a + start : a + start * j->lda; c += start * j->ldc; }
        else { column = start; c += start; }
        CVectorKernels_sgemmPacked(j->tA, rows, columns, j->k, 1.0f, a, j->lda, j->packed, j->n, column, 0.0f, NULL,
                                   c, j->ldc, workspace);
        free(workspace);
        return;
    }
    float *workspace = malloc(sizeof(float) * (size_t)(CVectorKernels_sgemmWorkspace(rows, columns, j->k) + 1));
    if (j->splitRows) { a = j->tA ? a + start : a + start * j->lda; c += start * j->ldc; }
    else { b = j->tB ? b + start * j->ldb : b + start; c += start; }
    CVectorKernels_sgemm(j->tA, j->tB, rows, columns, j->k, 1.0f, a, j->lda, b, j->ldb, 0.0f, c, j->ldc, workspace);
    free(workspace);
}
#endif

static const float *packed_b = NULL;  /* own-packed: op(B) packed once, else NULL */

#if defined(BACKEND_OPENBLAS)
/* "openblas-pool": OpenBLAS single-threaded in each worker of the package's fork-join pool,
 * blocks of 16 rows of C (or columns when rows are few), as TensorCore.BLAS.sgemm now runs it. */
static int pool_split = 0;
typedef struct { const shape *s; const float *a, *b; float *c; ptrdiff_t workers, blocks; int splitRows; } pool_job;
static void pool_run(void *context, ptrdiff_t worker) {
    pool_job *j = context;
    const shape *s = j->s;
    int lda = s->transA ? s->m : s->k, ldb = s->transB ? s->k : s->n, ldc = s->n;
    ptrdiff_t limit = j->splitRows ? s->m : s->n;
    ptrdiff_t start = worker * j->blocks / j->workers * 16, end = (worker + 1) * j->blocks / j->workers * 16;
    if (start > limit) start = limit;
    if (end > limit) end = limit;
    if (end <= start) return;
    if (j->splitRows)
        cblas_sgemm(CblasRowMajor, s->transA ? CblasTrans : CblasNoTrans, s->transB ? CblasTrans : CblasNoTrans,
                    (int)(end - start), s->n, s->k, 1.0f, s->transA ? j->a + start : j->a + start * lda, lda,
                    j->b, ldb, 0.0f, j->c + start * ldc, ldc);
    else
        cblas_sgemm(CblasRowMajor, s->transA ? CblasTrans : CblasNoTrans, s->transB ? CblasTrans : CblasNoTrans,
                    s->m, (int)(end - start), s->k, 1.0f, j->a, lda, s->transB ? j->b + start * ldb : j->b + start,
                    ldb, 0.0f, j->c + start, ldc);
}
#endif

static void gemm(const shape *s, const float *a, const float *b, float *c) {
    int lda = s->transA ? s->m : s->k, ldb = s->transB ? s->k : s->n, ldc = s->n;
#if defined(BACKEND_OWN)
    ptrdiff_t rowTiles = (s->m + 13) / 14, columnTiles = (s->n + 31) / 32;
    ptrdiff_t t = (ptrdiff_t)s->m * s->n * s->k >= (4 << 20) ? threads : 1;
    job j = { s->transA, s->transB, s->m, s->n, s->k, lda, ldb, ldc, 0, 0, 0, a, b, c, packed_b };
    j.splitRows = rowTiles >= 2 * t || rowTiles >= columnTiles;
    j.tiles = j.splitRows ? rowTiles : columnTiles;
    j.workers = t < j.tiles ? t : j.tiles;
    if (j.workers > 1) CVectorKernels_parallelFor(j.workers, j.workers, run, &j);
    else run(&j, 0);
#elif defined(BACKEND_OPENBLAS)
    if (pool_split) {
        ptrdiff_t rowBlocks = (s->m + 15) / 16, columnBlocks = (s->n + 15) / 16;
        ptrdiff_t t = (ptrdiff_t)s->m * s->n * s->k >= (4 << 20) ? threads : 1;
        pool_job j = { s, a, b, c, 0, 0, 0 };
        j.splitRows = rowBlocks >= 2 * t || rowBlocks >= columnBlocks;
        j.blocks = j.splitRows ? rowBlocks : columnBlocks;
        j.workers = t < j.blocks ? t : j.blocks;
        if (j.workers > 1) CVectorKernels_parallelFor(j.workers, j.workers, pool_run, &j);
        else pool_run(&j, 0);
        return;
    }
    cblas_sgemm(CblasRowMajor, s->transA ? CblasTrans : CblasNoTrans, s->transB ? CblasTrans : CblasNoTrans,
                s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
#elif defined(BACKEND_BLIS)
    float one = 1.0f, zero = 0.0f;
    bli_sgemm(s->transA ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, s->transB ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
              s->m, s->n, s->k, &one, (float *)a, lda, 1, (float *)b, ldb, 1, &zero, c, ldc, 1);
#endif
}

typedef struct { int set; ptrdiff_t iterations; double flops[64]; } peak_job;
static void peak_run(void *context, ptrdiff_t t) {
    peak_job *j = context;
    j->flops[t] = CVectorKernels_fmaPeakLoop(j->set, j->iterations);
}

/* GFLOP/s of `threads` threads running the register-only FMA loop at once. */
static double fma_peak(int set) {
    ptrdiff_t iterations = 1 << 16;
    for (;;) {
        double t0 = now();
        CVectorKernels_fmaPeakLoop(set, iterations);
        double e = now() - t0;
        if (e > 0.005) { iterations = (ptrdiff_t)(iterations * 0.02 / e); break; }
        iterations *= 4;
    }
    double best = 0;
    peak_job j = { set, iterations, { 0 } };
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        CVectorKernels_parallelFor(threads, threads, peak_run, &j);
        double flops = 0;
        for (int t = 0; t < threads; t++) flops += j.flops[t];
        double g = flops / (now() - t0) / 1e9;
        if (g > best) best = g;
    }
    return best;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 1;
    int repeats = argc > 2 ? atoi(argv[2]) : 20;
    const char *name = "own", *kernel = "CVectorKernels_sgemm";
#if defined(BACKEND_OWN)
    CVectorKernels_parallelPrepare(threads);
#elif defined(BACKEND_OPENBLAS)
    name = getenv("OPENBLAS_CORETYPE") ? "openblas-coretype" : "openblas";
    pool_split = argc > 3 && !strcmp(argv[3], "pool");
    if (pool_split) name = "openblas-pool";
    openblas_set_num_threads(pool_split ? 1 : threads);
    if (pool_split) CVectorKernels_parallelPrepare(threads);
    kernel = openblas_get_corename();
#elif defined(BACKEND_BLIS)
    name = "blis";
    bli_thread_set_num_threads(threads);
    kernel = bli_arch_string(bli_arch_query_id());
#endif
    char cpu[128] = "?";
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10)) { char *p = strchr(line, ':'); snprintf(cpu, sizeof cpu, "%s", p + 2); cpu[strcspn(cpu, "\n")] = 0; break; }
    if (f) fclose(f);
    printf("# backend %s threads %d kernel %s cpu \"%s\" peak_avx512 %.1f peak_avx2 %.1f\n", name, threads, kernel, cpu,
           fma_peak(2), fma_peak(1));
    size_t count = sizeof shapes / sizeof shapes[0];
    for (size_t i = 0; i < count; i++) {
        const shape *s = &shapes[i];
        size_t na = (size_t)s->m * s->k, nb = (size_t)s->k * s->n, nc = (size_t)s->m * s->n;
        float *a = aligned_alloc(64, (na * 4 + 63) / 64 * 64), *b = aligned_alloc(64, (nb * 4 + 63) / 64 * 64);
        float *c = aligned_alloc(64, (nc * 4 + 63) / 64 * 64);
        uint32_t seed = 12345;
        for (size_t j = 0; j < na; j++) { seed = seed * 1664525u + 1013904223u; a[j] = (float)(seed >> 8) / (1 << 24) - 0.5f; }
        for (size_t j = 0; j < nb; j++) { seed = seed * 1664525u + 1013904223u; b[j] = (float)(seed >> 8) / (1 << 24) - 0.5f; }
        double flop = 2.0 * s->m * s->n * s->k;
        int passes = 1;
#if defined(BACKEND_OWN)
        float *packed = NULL;
        if (s->weight) {
            packed = aligned_alloc(64, (size_t)CVectorKernels_sgemmPackedCount(s->k, s->n) * 4 + 64);
            CVectorKernels_sgemmPackB(s->transB, s->k, s->n, b, s->transB ? s->k : s->n, packed);
            passes = 2;
        }
#endif
        for (int pass = 0; pass < passes; pass++) {
#if defined(BACKEND_OWN)
        packed_b = pass ? packed : NULL;
#endif
        gemm(s, a, b, c);  /* warm-up, checked against Float64 sums at 64 entries */
        double worst = 0;
        for (int e = 0; e < 64; e++) {
            int i = (int)((e * 2654435761u) % (unsigned)s->m), jj = (int)((e * 40503u + 7) % (unsigned)s->n);
            double sum = 0, magnitude = 0;
            for (int p = 0; p < s->k; p++) {
                double x = s->transA ? a[(size_t)p * s->m + i] : a[(size_t)i * s->k + p];
                double y = s->transB ? b[(size_t)jj * s->k + p] : b[(size_t)p * s->n + jj];
                sum += x * y;
                magnitude += fabs(x * y);
            }
            double error = fabs(c[(size_t)i * s->n + jj] - sum) / (magnitude + 1e-30);
            if (error > worst) worst = error;
        }
        if (worst > 1e-5) printf("# WRONG %s %s: relative error %.3g\n", name, s->label, worst);
        /* At least `repeats` calls and 50 ms; median of per-call times. */
        int calls = repeats;
        double t0 = now();
        gemm(s, a, b, c);
        double one = now() - t0;
        if (calls < 0.05 / one) calls = (int)(0.05 / one) + 1;
        double *times = malloc(sizeof(double) * (size_t)calls);
        for (int r = 0; r < calls; r++) { double t = now(); gemm(s, a, b, c); times[r] = now() - t; }
        for (int x = 1; x < calls; x++) for (int y = x; y > 0 && times[y] < times[y - 1]; y--) { double t = times[y]; times[y] = times[y - 1]; times[y - 1] = t; }
        double median = calls % 2 ? times[calls / 2] : 0.5 * (times[calls / 2 - 1] + times[calls / 2]);
        printf("%s %d %s %d %d %d %.1f\n", pass ? "own-packed" : name, threads, s->label, s->m, s->n, s->k,
               flop / median / 1e9);
        free(times);
        }
#if defined(BACKEND_OWN)
        free(packed);
#endif
        free(a); free(b); free(c);
    }
    return 0;
}
