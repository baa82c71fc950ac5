/* vis's own PNG writer for 8-bit images: per-row filter choice, one dynamic-Huffman deflate
 * block per band of rows, run matches at distance 1 or one pixel. See vis_png_fast.h.
 * Formats: PNG (ISO/IEC 15948), zlib (RFC 1950), deflate (RFC 1951). */
#include "vis_png_fast.h"
#include "vis_message.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#ifdef VIS_PNG_BENCH_CODERS
#include <libdeflate.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define VIS_HAVE_AVX2_VARIANT 1
#endif

/* Filtered bytes per band (one deflate block and one IDAT chunk each); at least one row. */
#define VIS_FAST_BAND_BYTES (256 * 1024)
/* Shortest run emitted as a match (a shorter one costs more than its literals). */
#define VIS_FAST_MIN_MATCH 4
#define VIS_FAST_MAX_MATCH 258
/* Bytes kept writable past the end of the output for the 8-byte bit-buffer stores. */
#define VIS_FAST_SLACK 32

#define VIS_LITLEN_CODES 286
#define VIS_DIST_CODES 30
#define VIS_CODELEN_CODES 19

#ifdef VIS_PNG_BENCH_CODERS
/* Bench-only build (tools/bench_png_backends.sh: -DVIS_PNG_BENCH_CODERS, linked with
 * libdeflate): library coders in place of vis's own for the comparison in BENCHMARKS.md,
 * chosen by VIS_PNG_DEFLATE, read once: "own" (default), "zlib[:LEVEL[:rle|filtered]]" (pigz's
 * way: raw deflate per part, Z_SYNC_FLUSH at a part's end, Z_FINISH at the stream's end, the
 * parts' Adler-32s combined), "libdeflate[:LEVEL]" (one libdeflate_deflate_compress over all
 * filtered rows: libdeflate has no flush, so the image is one part). */
enum { VIS_CODER_OWN, VIS_CODER_ZLIB, VIS_CODER_LIBDEFLATE };
static int vis_coder = -1, vis_coder_level = 1, vis_coder_strategy = Z_DEFAULT_STRATEGY;

static void vis_fast_read_coder(void) {
    if (vis_coder >= 0) return;
    const char *text = getenv("VIS_PNG_DEFLATE");
    int coder = VIS_CODER_OWN;
    if (text && !strncmp(text, "zlib", 4)) { coder = VIS_CODER_ZLIB; text += 4; }
    else if (text && !strncmp(text, "libdeflate", 10)) { coder = VIS_CODER_LIBDEFLATE; text += 10; }
    if (coder != VIS_CODER_OWN && *text == ':') {
        vis_coder_level = atoi(text + 1);
        const char *strategy = strchr(text + 1, ':');
        if (strategy && !strcmp(strategy + 1, "rle")) vis_coder_strategy = Z_RLE;
        if (strategy && !strcmp(strategy + 1, "filtered")) vis_coder_strategy = Z_FILTERED;
    }
    vis_coder = coder;
}

int vis_png_fast_single_part(void) {
    vis_fast_read_coder();
    return vis_coder == VIS_CODER_LIBDEFLATE;
}
#else
int vis_png_fast_single_part(void) { return 0; }
#endif

struct vis_png_fast_writer {
#ifdef VIS_PNG_BENCH_CODERS
    int coder;
    z_stream zs;
    int zs_ready;
#endif
    uint32_t width, height, channels, rows_done;
    int ends_stream;           /* 0 for a part (vis_png_fast_part) that others follow */
    size_t row_bytes;
    uint8_t *previous;         /* the last raw row (zeros before the first) */
    uint8_t *candidates;       /* 4 filtered versions of the current row */
    uint8_t *band;             /* filtered rows of the current band, each led by its filter type */
    size_t band_used, band_capacity;
    uint64_t *matches;         /* runs of the band: position << 16 | length << 4 | distance */
    /* deflate state */
    uint64_t bits;
    unsigned bit_count;
    uint32_t adler;
    /* output: the current IDAT chunk, 8 header bytes then the payload */
    uint8_t *chunk;
    size_t chunk_used, chunk_capacity;
    int fd;
    uint8_t *memory;           /* memory mode: the whole file so far */
    size_t memory_size, memory_capacity;
    vis_status status;
    char *message;
    size_t message_capacity;
};

/* ---- deflate tables (RFC 1951 3.2.5) ---- */

static const uint16_t vis_length_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                              35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t vis_length_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                              3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint8_t vis_codelen_order[VIS_CODELEN_CODES] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4,
                                                             12, 3, 13, 2, 14, 1, 15 };
/* Length 3..258 -> index into the tables above (code 257 + index). */
static uint8_t vis_length_index[VIS_FAST_MAX_MATCH + 1];

static void vis_fast_init_tables(void) {
    static volatile int ready = 0;
    if (ready) return;
    for (int i = 0; i < 29; i++) {
        int end = i == 28 ? 259 : vis_length_base[i + 1];
        if (i == 27) end = 258;  /* 258 has its own code (285) */
        for (int l = vis_length_base[i]; l < end; l++) vis_length_index[l] = (uint8_t)i;
    }
    ready = 1;  /* idempotent: racing threads write the same values */
}

static inline uint64_t vis_load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void vis_store64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static inline void vis_store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- Huffman code lengths (in-place minimum redundancy, Moffat & Katajainen, as in miniz) ---- */

typedef struct { uint32_t key; uint16_t symbol; } vis_symbol_frequency;

static int vis_frequency_order(const void *a, const void *b) {
    const vis_symbol_frequency *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (int)x->symbol - (int)y->symbol;
}

/* A[0..n) sorted by ascending key (frequency) -> key = code length of each entry. */
static void vis_minimum_redundancy(vis_symbol_frequency *a, int n) {
    if (n == 0) return;
    if (n == 1) { a[0].key = 1; return; }
    a[0].key += a[1].key;
    int root = 0, leaf = 2;
    for (int next = 1; next < n - 1; next++) {
        if (leaf >= n || a[root].key < a[leaf].key) { a[next].key = a[root].key; a[root++].key = (uint32_t)next; }
        else a[next].key = a[leaf++].key;
        if (leaf >= n || (root < next && a[root].key < a[leaf].key)) {
            a[next].key += a[root].key;
            a[root++].key = (uint32_t)next;
        } else a[next].key += a[leaf++].key;
    }
    a[n - 2].key = 0;
    for (int next = n - 3; next >= 0; next--) a[next].key = a[a[next].key].key + 1;
    int available = 1, used = 0, depth = 0;
    root = n - 2;
    int next = n - 1;
    while (available > 0) {
        while (root >= 0 && (int)a[root].key == depth) { used++; root--; }
        while (available > used) { a[next--].key = (uint32_t)depth; available--; }
        available = 2 * used;
        depth++;
        used = 0;
    }
}

/* Code lengths (at most `limit` bits) for `count` symbols with frequencies `frequency`;
 * symbols of frequency 0 get length 0. At least two symbols must have a frequency. */
static void vis_code_lengths(const uint32_t *frequency, int count, int limit, uint8_t *lengths) {
    vis_symbol_frequency sorted[VIS_LITLEN_CODES];
    int n = 0;
    for (int s = 0; s < count; s++) {
        lengths[s] = 0;
        if (frequency[s]) { sorted[n].key = frequency[s]; sorted[n].symbol = (uint16_t)s; n++; }
    }
    qsort(sorted, (size_t)n, sizeof sorted[0], vis_frequency_order);
    vis_symbol_frequency depths[VIS_LITLEN_CODES];
    memcpy(depths, sorted, (size_t)n * sizeof sorted[0]);
    vis_minimum_redundancy(depths, n);
    int per_length[64] = { 0 };
    for (int i = 0; i < n; i++) per_length[depths[i].key < 63 ? depths[i].key : 63]++;
    /* Enforce the limit (miniz's tdefl_huffman_enforce_max_code_size): fold the deeper
     * codes into `limit`, then lengthen shorter codes until the Kraft sum is exactly 1. */
    for (int i = limit + 1; i < 64; i++) { per_length[limit] += per_length[i]; per_length[i] = 0; }
    uint32_t total = 0;
    for (int i = limit; i > 0; i--) total += (uint32_t)per_length[i] << (limit - i);
    while (total != (1u << limit)) {
        per_length[limit]--;
        for (int i = limit - 1; i > 0; i--)
            if (per_length[i]) { per_length[i]--; per_length[i + 1] += 2; break; }
        total--;
    }
    /* The most frequent symbols (end of `sorted`) get the shortest codes. */
    int j = n;
    for (int length = 1; length <= limit; length++)
        for (int k = per_length[length]; k > 0; k--) lengths[sorted[--j].symbol] = (uint8_t)length;
}

/* Canonical codes for `lengths`, bit-reversed for LSB-first output. */
static void vis_canonical_codes(const uint8_t *lengths, int count, uint16_t *codes) {
    int per_length[16] = { 0 };
    for (int s = 0; s < count; s++) per_length[lengths[s]]++;
    per_length[0] = 0;
    int next[16];
    int code = 0;
    for (int length = 1; length < 16; length++) { code = (code + per_length[length - 1]) << 1; next[length] = code; }
    for (int s = 0; s < count; s++) {
        int length = lengths[s];
        if (length == 0) { codes[s] = 0; continue; }
        int c = next[length]++, reversed = 0;
        for (int b = 0; b < length; b++) { reversed = (reversed << 1) | (c & 1); c >>= 1; }
        codes[s] = (uint16_t)reversed;
    }
}

/* ---- output ---- */

static vis_status vis_fast_fail(vis_png_fast_writer *w, vis_status status, const char *text) {
    if (w->status == VIS_OK) {
        w->status = status;
        vis_copy_message(w->message, w->message_capacity, text);
    }
    return w->status;
}

/* Sends bytes to the descriptor or the memory buffer. */
static vis_status vis_fast_emit(vis_png_fast_writer *w, const uint8_t *data, size_t size) {
    if (w->fd >= 0) {
        while (size > 0) {
            ssize_t n = write(w->fd, data, size);
            if (n < 0) {
                if (errno == EINTR) continue;
                return vis_fast_fail(w, VIS_ERR_BUFFER, strerror(errno));
            }
            data += n;
            size -= (size_t)n;
        }
        return VIS_OK;
    }
    if (size > w->memory_capacity - w->memory_size) {
        size_t wanted = w->memory_capacity ? w->memory_capacity : 65536;
        while (wanted - w->memory_size < size) {
            if (wanted > SIZE_MAX / 2) return vis_fast_fail(w, VIS_ERR_MEMORY, "PNG output too large");
            wanted *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(w->memory, wanted);
        if (grown == NULL) return vis_fast_fail(w, VIS_ERR_MEMORY, "out of memory for the PNG output");
        w->memory = grown;
        w->memory_capacity = wanted;
    }
    memcpy(w->memory + w->memory_size, data, size);
    w->memory_size += size;
    return VIS_OK;
}

/* A whole chunk: length, type, data, CRC-32 of type and data. `data` may be NULL if empty. */
static vis_status vis_fast_chunk(vis_png_fast_writer *w, const char *type, const uint8_t *data, uint32_t size) {
    uint8_t head[8], tail[4];
    vis_store_be32(head, size);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, head + 4, 4);
    if (size) crc = crc32(crc, data, size);
    vis_store_be32(tail, (uint32_t)crc);
    if (vis_fast_emit(w, head, 8) != VIS_OK) return w->status;
    if (size && vis_fast_emit(w, data, size) != VIS_OK) return w->status;
    return vis_fast_emit(w, tail, 4);
}

/* Writes the complete bytes gathered so far as one IDAT chunk (header filled in place). */
static vis_status vis_fast_flush_idat(vis_png_fast_writer *w) {
    size_t payload = w->chunk_used - 8;
    if (payload == 0) return VIS_OK;
    vis_store_be32(w->chunk, (uint32_t)payload);
    memcpy(w->chunk + 4, "IDAT", 4);
    uLong crc = crc32(0L, w->chunk + 4, (uInt)(payload + 4));
    vis_store_be32(w->chunk + w->chunk_used, (uint32_t)crc);
    vis_status status = vis_fast_emit(w, w->chunk, w->chunk_used + 4);
    w->chunk_used = 8;
    return status;
}

/* Bit writer on the chunk buffer: LSB first; at most 56 bits pending after a put. */
#define VIS_PUT(w, out, value, count) do { (w)->bits |= (uint64_t)(value) << (w)->bit_count; (w)->bit_count += (count); } while (0)
#define VIS_DRAIN(w, out) do { vis_store64((out), (w)->bits); (out) += (w)->bit_count >> 3; \
    (w)->bits = (w)->bit_count >= 64 ? 0 : (w)->bits >> ((w)->bit_count & ~7u); (w)->bit_count &= 7; } while (0)

/* Pads the bit stream to a byte boundary. */
static inline uint8_t *vis_align(vis_png_fast_writer *w, uint8_t *out) {
    w->bit_count = (w->bit_count + 7) & ~7u;
    VIS_DRAIN(w, out);
    return out;
}

/* 1 (default): AVX2 kernels where the CPU has them; 0: the portable code only (tests). */
static int vis_fast_simd = 1;

void vis_png_fast_set_simd(int enabled) { vis_fast_simd = enabled ? 1 : 0; }

#ifdef VIS_HAVE_AVX2_VARIANT
static int vis_fast_has_avx2(void) {
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    return avx2 && vis_fast_simd;
}
#endif

/* ---- Adler-32 (RFC 1950) ---- */

#ifdef VIS_HAVE_AVX2_VARIANT
/* 32 bytes per step: s1 += sum(b), s2 += 32·s1 + sum((32 - k)·b[k]); reduced mod 65521
 * every 5536 bytes (zlib's NMAX rounded down to a multiple of 32) so nothing overflows. */
__attribute__((target("avx2"))) static uint32_t vis_adler32_avx2(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t s1 = adler & 0xFFFF, s2 = adler >> 16;
    const __m256i weights = _mm256_setr_epi8(32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                                             16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    const __m256i ones = _mm256_set1_epi16(1), zero = _mm256_setzero_si256();
    while (n >= 32) {
        size_t blocks = (n < 5536 ? n : 5536) / 32;
        n -= blocks * 32;
        __m256i v1 = zero, v2 = zero, previous = zero;
        uint32_t start = s1;
        for (size_t b = 0; b < blocks; b++, p += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)p);
            previous = _mm256_add_epi32(previous, v1);
            v1 = _mm256_add_epi32(v1, _mm256_sad_epu8(v, zero));
            v2 = _mm256_add_epi32(v2, _mm256_madd_epi16(_mm256_maddubs_epi16(v, weights), ones));
        }
        v2 = _mm256_add_epi32(v2, _mm256_slli_epi32(previous, 5));
        uint32_t lanes1[8], lanes2[8];
        _mm256_storeu_si256((__m256i *)lanes1, v1);
        _mm256_storeu_si256((__m256i *)lanes2, v2);
        uint64_t sum1 = 0, sum2 = 0;
        for (int k = 0; k < 8; k++) { sum1 += lanes1[k]; sum2 += lanes2[k]; }
        s2 = (uint32_t)((s2 + (uint64_t)start * blocks * 32 + sum2) % 65521);
        s1 = (uint32_t)((s1 + sum1) % 65521);
    }
    return (uint32_t)adler32(s2 << 16 | s1, p, (uInt)n);
}
#endif

static uint32_t vis_adler32(uint32_t adler, const uint8_t *p, size_t n) {
#ifdef VIS_HAVE_AVX2_VARIANT
    if (vis_fast_has_avx2()) return vis_adler32_avx2(adler, p, n);
#endif
    while (n > 0) {  /* zlib's adler32 takes a uInt length */
        size_t step = n < 0x40000000u ? n : 0x40000000u;
        adler = (uint32_t)adler32(adler, p, (uInt)step);
        p += step;
        n -= step;
    }
    return adler;
}

/* ---- filters (PNG 9.2) ---- */

static inline uint8_t vis_paeth(int a, int b, int c) {
    int p = b - c, q = a - c;
    int pa = p < 0 ? -p : p, pb = q < 0 ? -q : q, pc = p + q < 0 ? -(p + q) : p + q;
    return (uint8_t)(pa <= pb && pa <= pc ? a : (pb <= pc ? b : c));
}

static inline uint32_t vis_magnitude(uint8_t v) { return (uint32_t)(v < 128 ? v : 256 - v); }

/* Sum of |f[i] as int8| over n bytes. */
static inline uint64_t vis_cost(const uint8_t *f, size_t n) {
    uint64_t sum = 0;
    size_t i = 0;
#if defined(__SSE2__)
    __m128i total = _mm_setzero_si128(), zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(f + i));
        __m128i magnitude = _mm_min_epu8(v, _mm_sub_epi8(zero, v));  /* min(v, 256 - v) */
        total = _mm_add_epi64(total, _mm_sad_epu8(magnitude, zero));
    }
    sum = (uint64_t)_mm_cvtsi128_si64(total) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(total, total));
#endif
    for (; i < n; i++) sum += vis_magnitude(f[i]);
    return sum;
}

#ifdef VIS_HAVE_AVX2_VARIANT
/* The four predictions for 32 bytes: a = left, b = up, c = up-left (raw bytes). */
#define VIS_AVX2 __attribute__((target("avx2")))

/* floor((a + b) / 2) per byte. */
VIS_AVX2 static inline __m256i vis_average_avx2(__m256i a, __m256i b) {
    return _mm256_sub_epi8(_mm256_avg_epu8(a, b), _mm256_and_si256(_mm256_xor_si256(a, b), _mm256_set1_epi8(1)));
}

/* Paeth predictor per byte, in 16-bit lanes (PNG 9.4: ties go to a, then b). */
VIS_AVX2 static inline __m256i vis_paeth_avx2(__m256i a, __m256i b, __m256i c) {
    const __m256i zero = _mm256_setzero_si256();
    __m256i half[2];
    for (int h = 0; h < 2; h++) {
        __m256i a16 = h ? _mm256_unpackhi_epi8(a, zero) : _mm256_unpacklo_epi8(a, zero);
        __m256i b16 = h ? _mm256_unpackhi_epi8(b, zero) : _mm256_unpacklo_epi8(b, zero);
        __m256i c16 = h ? _mm256_unpackhi_epi8(c, zero) : _mm256_unpacklo_epi8(c, zero);
        __m256i p = _mm256_sub_epi16(b16, c16), q = _mm256_sub_epi16(a16, c16);
        __m256i pa = _mm256_abs_epi16(p), pb = _mm256_abs_epi16(q), pc = _mm256_abs_epi16(_mm256_add_epi16(p, q));
        __m256i not_a = _mm256_or_si256(_mm256_cmpgt_epi16(pa, pb), _mm256_cmpgt_epi16(pa, pc));
        __m256i b_or_c = _mm256_blendv_epi8(b16, c16, _mm256_cmpgt_epi16(pb, pc));
        half[h] = _mm256_blendv_epi8(a16, b_or_c, not_a);
    }
    return _mm256_packus_epi16(half[0], half[1]);
}

/* Sum over 32 bytes of |byte as int8|, added to four 64-bit lanes. */
VIS_AVX2 static inline __m256i vis_cost_avx2(__m256i total, __m256i f) {
    const __m256i zero = _mm256_setzero_si256();
    return _mm256_add_epi64(total, _mm256_sad_epu8(_mm256_min_epu8(f, _mm256_sub_epi8(zero, f)), zero));
}

VIS_AVX2 static inline uint64_t vis_lanes_avx2(__m256i v) {
    __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    return (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
}

/* Same choice and bytes as the portable vis_fast_filter_row: one pass for the four costs
 * (nothing stored), one pass writing the chosen filter straight into the band. */
VIS_AVX2 static void vis_fast_filter_row_avx2(vis_png_fast_writer *w, const uint8_t *row) {
    const size_t n = w->row_bytes, bpp = w->channels;
    const uint8_t *up = w->previous;
    uint64_t cost[4] = { 0, 0, 0, 0 };
    /* The first pixel: no left neighbour (a = c = 0), so Paeth predicts b as Up does. */
    for (size_t i = 0; i < bpp && i < n; i++) {
        cost[0] += vis_magnitude(row[i]);
        cost[1] += vis_magnitude((uint8_t)(row[i] - up[i]));
        cost[2] += vis_magnitude((uint8_t)(row[i] - (up[i] >> 1)));
        cost[3] += vis_magnitude((uint8_t)(row[i] - up[i]));
    }
    __m256i t0 = _mm256_setzero_si256(), t1 = t0, t2 = t0, t3 = t0;
    size_t i = bpp;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(row + i));
        __m256i a = _mm256_loadu_si256((const __m256i *)(row + i - bpp));
        __m256i b = _mm256_loadu_si256((const __m256i *)(up + i));
        __m256i c = _mm256_loadu_si256((const __m256i *)(up + i - bpp));
        t0 = vis_cost_avx2(t0, _mm256_sub_epi8(x, a));
        t1 = vis_cost_avx2(t1, _mm256_sub_epi8(x, b));
        t2 = vis_cost_avx2(t2, _mm256_sub_epi8(x, vis_average_avx2(a, b)));
        t3 = vis_cost_avx2(t3, _mm256_sub_epi8(x, vis_paeth_avx2(a, b, c)));
    }
    cost[0] += vis_lanes_avx2(t0); cost[1] += vis_lanes_avx2(t1);
    cost[2] += vis_lanes_avx2(t2); cost[3] += vis_lanes_avx2(t3);
    for (; i < n; i++) {
        cost[0] += vis_magnitude((uint8_t)(row[i] - row[i - bpp]));
        cost[1] += vis_magnitude((uint8_t)(row[i] - up[i]));
        cost[2] += vis_magnitude((uint8_t)(row[i] - ((row[i - bpp] + up[i]) >> 1)));
        cost[3] += vis_magnitude((uint8_t)(row[i] - vis_paeth(row[i - bpp], up[i], up[i - bpp])));
    }
    int best = 0;
    for (int f = 1; f < 4; f++) if (cost[f] < cost[best]) best = f;
    uint8_t *target = w->band + w->band_used;
    target[0] = (uint8_t)(best + 1);
    uint8_t *out = target + 1;
    for (size_t k = 0; k < bpp && k < n; k++)
        out[k] = best == 0 ? row[k] : best == 2 ? (uint8_t)(row[k] - (up[k] >> 1)) : (uint8_t)(row[k] - up[k]);
    i = bpp;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(row + i));
        __m256i a = _mm256_loadu_si256((const __m256i *)(row + i - bpp));
        __m256i b = _mm256_loadu_si256((const __m256i *)(up + i));
        __m256i predicted;
        switch (best) {
        case 0: predicted = a; break;
        case 1: predicted = b; break;
        case 2: predicted = vis_average_avx2(a, b); break;
        default: predicted = vis_paeth_avx2(a, b, _mm256_loadu_si256((const __m256i *)(up + i - bpp))); break;
        }
        _mm256_storeu_si256((__m256i *)(out + i), _mm256_sub_epi8(x, predicted));
    }
    for (; i < n; i++) {
        uint8_t predicted = best == 0 ? row[i - bpp] : best == 1 ? up[i]
                          : best == 2 ? (uint8_t)((row[i - bpp] + up[i]) >> 1) : vis_paeth(row[i - bpp], up[i], up[i - bpp]);
        out[i] = (uint8_t)(row[i] - predicted);
    }
    w->band_used += n + 1;
    memcpy(w->previous, row, n);
}
#endif

/* Filters `row` against w->previous with Sub, Up, Average and Paeth (None only wins on
 * rows that no predictor helps, and costs a pass), appends the one with the smallest sum of
 * |filtered byte as int8| (libpng's heuristic) to the band. */
static void vis_fast_filter_row(vis_png_fast_writer *w, const uint8_t *row) {
#ifdef VIS_HAVE_AVX2_VARIANT
    if (vis_fast_has_avx2()) { vis_fast_filter_row_avx2(w, row); return; }
#endif
    const size_t n = w->row_bytes, bpp = w->channels;
    const uint8_t *up = w->previous;
    uint8_t *sub = w->candidates, *upf = sub + n, *average = upf + n, *paeth = average + n;
    uint64_t cost[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < bpp; i++) {
        sub[i] = row[i];
        upf[i] = (uint8_t)(row[i] - up[i]);
        average[i] = (uint8_t)(row[i] - (up[i] >> 1));
        paeth[i] = (uint8_t)(row[i] - up[i]);
        cost[0] += vis_magnitude(sub[i]); cost[1] += vis_magnitude(upf[i]);
        cost[2] += vis_magnitude(average[i]); cost[3] += vis_magnitude(paeth[i]);
    }
    /* One simple loop per filter and per sum: each vectorizes (a fused loop does not). */
    for (size_t i = bpp; i < n; i++) sub[i] = (uint8_t)(row[i] - row[i - bpp]);
    for (size_t i = bpp; i < n; i++) upf[i] = (uint8_t)(row[i] - up[i]);
    for (size_t i = bpp; i < n; i++) average[i] = (uint8_t)(row[i] - ((row[i - bpp] + up[i]) >> 1));
    for (size_t i = bpp; i < n; i++) paeth[i] = (uint8_t)(row[i] - vis_paeth(row[i - bpp], up[i], up[i - bpp]));
    const uint8_t *filtered[4] = { sub, upf, average, paeth };
    for (int f = 0; f < 4; f++) cost[f] += vis_cost(filtered[f] + bpp, n - bpp);
    const uint8_t *choices[4] = { sub, upf, average, paeth };
    int best = 0;
    for (int f = 1; f < 4; f++) if (cost[f] < cost[best]) best = f;
    uint8_t *target = w->band + w->band_used;
    target[0] = (uint8_t)(best + 1);
    memcpy(target + 1, choices[best], n);
    w->band_used += n + 1;
    memcpy(w->previous, row, n);
}

/* ---- one band -> one deflate block ---- */

static inline size_t vis_match_length(const uint8_t *a, const uint8_t *b, size_t limit) {
    size_t n = 0;
    while (n + 8 <= limit) {
        uint64_t x = vis_load64(a + n) ^ vis_load64(b + n);
        if (x) return n + ((size_t)__builtin_ctzll(x) >> 3);
        n += 8;
    }
    while (n < limit && a[n] == b[n]) n++;
    return n;
}

static inline void vis_add_match(vis_png_fast_writer *w, size_t *count, size_t position, size_t length,
                                 size_t distance, uint32_t *litlen, uint32_t *dist) {
    w->matches[(*count)++] = (uint64_t)position << 16 | (uint64_t)length << 4 | distance;
    litlen[257 + vis_length_index[length]]++;
    dist[distance - 1]++;
}

/* The longest run at `i` at distance 1 or one pixel, 0 if shorter than the minimum. */
static inline size_t vis_best_run(const uint8_t *f, size_t i, size_t n, size_t bpp, size_t *distance) {
    size_t limit = n - i < VIS_FAST_MAX_MATCH ? n - i : VIS_FAST_MAX_MATCH;
    if (limit < VIS_FAST_MIN_MATCH) return 0;
    size_t length = vis_match_length(f + i, f + i - 1, limit);
    *distance = 1;
    if (bpp > 1 && length < 32) {
        size_t other = vis_match_length(f + i, f + i - bpp, limit);
        if (other > length) { length = other; *distance = bpp; }
    }
    return length >= VIS_FAST_MIN_MATCH ? length : 0;
}

#if defined(__SSE2__)
/* Bit k set when f[k] == f[k - distance], for k in 0..31. Reads f[-distance .. 31]. */
static inline uint32_t vis_equal_mask(const uint8_t *f, size_t distance) {
    __m128i a0 = _mm_loadu_si128((const __m128i *)f), a1 = _mm_loadu_si128((const __m128i *)(f + 16));
    __m128i b0 = _mm_loadu_si128((const __m128i *)(f - distance)), b1 = _mm_loadu_si128((const __m128i *)(f + 16 - distance));
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0)) |
           (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1)) << 16;
}
#endif

/* Every byte of f[0, n) counted into eight tables (consecutive increments of the same
 * value would otherwise wait on each other); the literals are these counts minus the bytes
 * that runs cover (vis_uncount_run), so the run search below never counts bytes. */
static void vis_count_bytes(const uint8_t *f, size_t n, uint32_t (*tables)[256]) {
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        uint64_t v = vis_load64(f + j);
        tables[0][v & 0xFF]++; tables[1][v >> 8 & 0xFF]++; tables[2][v >> 16 & 0xFF]++; tables[3][v >> 24 & 0xFF]++;
        tables[4][v >> 32 & 0xFF]++; tables[5][v >> 40 & 0xFF]++; tables[6][v >> 48 & 0xFF]++; tables[7][v >> 56]++;
    }
    for (; j < n; j++) tables[0][f[j]]++;
}

/* Takes the `length` bytes at `at` (a run at `distance`, so byte j repeats the one
 * `distance` before it) out of the literal counts: residue r of the period occurs
 * ceil((length - r) / distance) times, each a copy of f[at - distance + r]. */
static inline void vis_uncount_run(const uint8_t *f, size_t at, size_t length, size_t distance, uint32_t *table) {
    if (distance == 1) { table[f[at - 1]] -= (uint32_t)length; return; }
    for (size_t r = 0; r < distance && r < length; r++)
        table[f[at - distance + r]] -= (uint32_t)((length - r + distance - 1) / distance);
}

/* Finds the runs of the band (w->matches, returns their count) and counts every symbol:
 * runs into their length and distance codes, the bytes between them as literals. */
static size_t vis_fast_matches(vis_png_fast_writer *w, uint32_t *litlen, uint32_t *dist) {
    const uint8_t *f = w->band;
    const size_t n = w->band_used, bpp = w->channels;
    uint32_t tables[8][256];
    memset(tables, 0, sizeof tables);
    vis_count_bytes(f, n, tables);
    size_t count = 0, i = bpp;
#if defined(__SSE2__)
    /* 16 positions at a time: a run of 4 starts at k when bits k..k+3 of the equality mask
     * are set; 16 positions without one are skipped straight away. */
    while (i + 19 <= n) {
        uint32_t m = vis_equal_mask(f + i, 1), p = bpp > 1 ? vis_equal_mask(f + i, bpp) : 0;
        uint32_t runs = (m & m >> 1 & m >> 2 & m >> 3) | (p & p >> 1 & p >> 2 & p >> 3);
        runs &= 0xFFFF;
        if (runs == 0) { i += 16; continue; }
        /* The run lengths come from the masks; only a run reaching the end of the
         * 32-position window needs a look at the bytes. */
        unsigned k = (unsigned)__builtin_ctz(runs);
        size_t at = i + k, limit = n - at < VIS_FAST_MAX_MATCH ? n - at : VIS_FAST_MAX_MATCH;
        size_t length = 0, distance = 1;
        if (m >> k & 1) {
            length = (size_t)__builtin_ctzll(~(uint64_t)(m >> k));
            if (length >= 32 - k) length += vis_match_length(f + at + length, f + at + length - 1, limit > length ? limit - length : 0);
        }
        if (p >> k & 1) {
            size_t other = (size_t)__builtin_ctzll(~(uint64_t)(p >> k));
            if (other >= 32 - k && other > length)
                other += vis_match_length(f + at + other, f + at + other - bpp, limit > other ? limit - other : 0);
            if (other > length) { length = other; distance = bpp; }
        }
        if (length > limit) length = limit;
        vis_add_match(w, &count, at, length, distance, litlen, dist);
        vis_uncount_run(f, at, length, distance, tables[0]);
        i = at + length;
    }
#endif
    while (i < n) {
        size_t distance = 1, length = vis_best_run(f, i, n, bpp, &distance);
        if (length) {
            vis_add_match(w, &count, i, length, distance, litlen, dist);
            vis_uncount_run(f, i, length, distance, tables[0]);
            i += length;
        } else i++;
    }
    for (int v = 0; v < 256; v++) {
        uint32_t sum = 0;
        for (int t = 0; t < 8; t++) sum += tables[t][v];
        litlen[v] += sum;
    }
    return count;
}

#ifdef VIS_PNG_BENCH_CODERS
static vis_status vis_fast_flush_idat(vis_png_fast_writer *w);

/* The band through zlib (raw deflate): Z_NO_FLUSH, Z_SYNC_FLUSH at the end of a part that
 * others follow, Z_FINISH at the end of the stream; full chunk buffers become IDAT chunks. */
static vis_status vis_fast_compress_band_zlib(vis_png_fast_writer *w, int final) {
    const size_t n = w->band_used;
    w->adler = (uint32_t)adler32(w->adler, w->band, (uInt)n);
    int part_end = !final && !w->ends_stream && w->rows_done == w->height;
    int flush = final ? Z_FINISH : part_end ? Z_SYNC_FLUSH : Z_NO_FLUSH;
    w->zs.next_in = w->band;
    w->zs.avail_in = (uInt)n;
    for (;;) {
        w->zs.next_out = w->chunk + w->chunk_used;
        w->zs.avail_out = (uInt)(w->chunk_capacity - w->chunk_used);
        int ret = deflate(&w->zs, flush);
        if (ret == Z_STREAM_ERROR) return vis_fast_fail(w, VIS_ERR_BUFFER, "zlib deflate failed");
        w->chunk_used = w->chunk_capacity - w->zs.avail_out;
        if (ret == Z_STREAM_END) break;
        if (w->zs.avail_out == 0) { if (vis_fast_flush_idat(w) != VIS_OK) return w->status; continue; }
        if (w->zs.avail_in == 0) break;
    }
    w->band_used = 0;
    return vis_fast_flush_idat(w);
}

/* All filtered rows (the band holds the whole image) through one libdeflate call. */
static vis_status vis_fast_compress_band_libdeflate(vis_png_fast_writer *w, int final) {
    if (!final) return vis_fast_fail(w, VIS_ERR_BUFFER, "libdeflate cannot end a part on a byte boundary");
    const size_t n = w->band_used;
    w->adler = libdeflate_adler32(w->adler, w->band, n);
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(vis_coder_level);
    if (c == NULL) return vis_fast_fail(w, VIS_ERR_MEMORY, "out of memory for libdeflate");
    size_t size = libdeflate_deflate_compress(c, w->band, n, w->chunk + w->chunk_used,
                                              w->chunk_capacity - w->chunk_used);
    libdeflate_free_compressor(c);
    if (size == 0) return vis_fast_fail(w, VIS_ERR_BUFFER, "libdeflate output did not fit");
    w->chunk_used += size;
    w->band_used = 0;
    return vis_fast_flush_idat(w);
}

#endif

/* Appends the band as a deflate block (dynamic Huffman, or stored if smaller). */
static vis_status vis_fast_compress_band(vis_png_fast_writer *w, int final) {
#ifdef VIS_PNG_BENCH_CODERS
    if (w->coder == VIS_CODER_ZLIB) return vis_fast_compress_band_zlib(w, final);
    if (w->coder == VIS_CODER_LIBDEFLATE) return vis_fast_compress_band_libdeflate(w, final);
#endif
    const size_t n = w->band_used;
    w->adler = vis_adler32(w->adler, w->band, n);
    uint32_t litlen[VIS_LITLEN_CODES] = { 0 }, dist[VIS_DIST_CODES] = { 0 };
    size_t count = vis_fast_matches(w, litlen, dist);
    litlen[256] = 1;
    /* Every tree gets at least two used symbols (as zlib does), so no code is degenerate;
     * the forced ones are not counted in the size below. */
    const int forced_literal = litlen[0] == 0, forced_first = dist[0] == 0, forced_second = dist[1] == 0;
    if (forced_literal) litlen[0] = 1;
    if (forced_first) dist[0] = 1;
    if (forced_second) dist[1] = 1;
    uint8_t litlen_lengths[VIS_LITLEN_CODES], dist_lengths[VIS_DIST_CODES];
    vis_code_lengths(litlen, VIS_LITLEN_CODES, 15, litlen_lengths);
    vis_code_lengths(dist, VIS_DIST_CODES, 15, dist_lengths);
    int hlit = VIS_LITLEN_CODES, hdist = VIS_DIST_CODES;
    while (hlit > 257 && litlen_lengths[hlit - 1] == 0) hlit--;
    while (hdist > 1 && dist_lengths[hdist - 1] == 0) hdist--;
    /* The code lengths, run-length coded with 16 (repeat previous 3-6), 17 (3-10 zeros),
     * 18 (11-138 zeros): each entry symbol | extra << 8. */
    uint8_t all[VIS_LITLEN_CODES + VIS_DIST_CODES];
    memcpy(all, litlen_lengths, (size_t)hlit);
    memcpy(all + hlit, dist_lengths, (size_t)hdist);
    int total = hlit + hdist, runs = 0;
    uint16_t run_codes[VIS_LITLEN_CODES + VIS_DIST_CODES];
    uint32_t codelen_frequency[VIS_CODELEN_CODES] = { 0 };
    for (int i = 0; i < total;) {
        int value = all[i], run = 1;
        while (i + run < total && all[i + run] == value) run++;
        int left = run;
        if (value == 0) {
            while (left >= 11) { int r = left > 138 ? 138 : left; run_codes[runs++] = (uint16_t)(18 | (r - 11) << 8); codelen_frequency[18]++; left -= r; }
            if (left >= 3) { run_codes[runs++] = (uint16_t)(17 | (left - 3) << 8); codelen_frequency[17]++; left = 0; }
        } else {
            run_codes[runs++] = (uint16_t)value; codelen_frequency[value]++; left--;
            while (left >= 3) { int r = left > 6 ? 6 : left; run_codes[runs++] = (uint16_t)(16 | (r - 3) << 8); codelen_frequency[16]++; left -= r; }
        }
        while (left-- > 0) { run_codes[runs++] = (uint16_t)value; codelen_frequency[value]++; }
        i += run;
    }
    int used = 0;
    for (int s = 0; s < VIS_CODELEN_CODES; s++) used += codelen_frequency[s] != 0;
    if (used < 2) codelen_frequency[codelen_frequency[0] ? 1 : 0]++;
    uint8_t codelen_lengths[VIS_CODELEN_CODES];
    uint16_t codelen_codes[VIS_CODELEN_CODES], litlen_codes[VIS_LITLEN_CODES], dist_codes[VIS_DIST_CODES];
    vis_code_lengths(codelen_frequency, VIS_CODELEN_CODES, 7, codelen_lengths);
    vis_canonical_codes(codelen_lengths, VIS_CODELEN_CODES, codelen_codes);
    vis_canonical_codes(litlen_lengths, VIS_LITLEN_CODES, litlen_codes);
    vis_canonical_codes(dist_lengths, VIS_DIST_CODES, dist_codes);
    int hclen = VIS_CODELEN_CODES;
    while (hclen > 4 && codelen_lengths[vis_codelen_order[hclen - 1]] == 0) hclen--;

    /* Exact size of the dynamic block in bits, against stored blocks. */
    uint64_t dynamic_bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen;
    for (int r = 0; r < runs; r++) {
        int s = run_codes[r] & 0xFF;
        dynamic_bits += codelen_lengths[s] + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0);
    }
    for (int s = 0; s < VIS_LITLEN_CODES; s++) {
        uint64_t c = s == 0 && forced_literal ? 0 : litlen[s];
        dynamic_bits += c * (litlen_lengths[s] + (s > 256 ? vis_length_extra[s - 257] : 0));
    }
    for (int s = 0; s < 4; s++) {
        uint64_t c = (s == 0 && forced_first) || (s == 1 && forced_second) ? 0 : dist[s];
        dynamic_bits += c * dist_lengths[s];
    }
    size_t blocks = n / 65535 + 1;
    uint64_t stored_bits = (uint64_t)n * 8 + blocks * 40 + 10;

    uint8_t *out = w->chunk + w->chunk_used;
    if (dynamic_bits < stored_bits) {
        VIS_PUT(w, out, final ? 1 : 0, 1);
        VIS_PUT(w, out, 2, 2);
        VIS_PUT(w, out, hlit - 257, 5);
        VIS_PUT(w, out, hdist - 1, 5);
        VIS_PUT(w, out, hclen - 4, 4);
        VIS_DRAIN(w, out);
        for (int i = 0; i < hclen; i++) { VIS_PUT(w, out, codelen_lengths[vis_codelen_order[i]], 3); VIS_DRAIN(w, out); }
        for (int r = 0; r < runs; r++) {
            int s = run_codes[r] & 0xFF, extra = run_codes[r] >> 8;
            VIS_PUT(w, out, codelen_codes[s], codelen_lengths[s]);
            if (s == 16) VIS_PUT(w, out, extra, 2);
            else if (s == 17) VIS_PUT(w, out, extra, 3);
            else if (s == 18) VIS_PUT(w, out, extra, 7);
            VIS_DRAIN(w, out);
        }
        /* Match codes with their extra bits, per length: code | extra << code length. */
        uint32_t match_code[VIS_FAST_MAX_MATCH + 1];
        uint8_t match_bits[VIS_FAST_MAX_MATCH + 1];
        for (int length = VIS_FAST_MIN_MATCH; length <= VIS_FAST_MAX_MATCH; length++) {
            int index = vis_length_index[length], s = 257 + index;
            match_code[length] = litlen_codes[s] | (uint32_t)(length - vis_length_base[index]) << litlen_lengths[s];
            match_bits[length] = (uint8_t)(litlen_lengths[s] + vis_length_extra[index]);
        }
        /* Literal code | length << 16 per byte value. */
        uint32_t literal[256];
        for (int v = 0; v < 256; v++) literal[v] = litlen_codes[v] | (uint32_t)litlen_lengths[v] << 16;
        uint64_t bits = w->bits;
        unsigned bit_count = w->bit_count;
        const uint8_t *f = w->band;
        size_t from = 0;
        for (size_t k = 0; k <= count; k++) {
            size_t to = k < count ? (size_t)(w->matches[k] >> 16) : n;
            size_t j = from;
            /* Three literals (at most 45 bits) per store: at most 52 bits pending. */
            for (; j + 3 <= to; j += 3) {
                uint32_t a = literal[f[j]], b = literal[f[j + 1]], c = literal[f[j + 2]];
                bits |= (uint64_t)(a & 0xFFFF) << bit_count; bit_count += a >> 16;
                bits |= (uint64_t)(b & 0xFFFF) << bit_count; bit_count += b >> 16;
                bits |= (uint64_t)(c & 0xFFFF) << bit_count; bit_count += c >> 16;
                vis_store64(out, bits);
                out += bit_count >> 3;
                bits >>= bit_count & ~7u;
                bit_count &= 7;
            }
            for (; j < to; j++) {
                uint32_t a = literal[f[j]];
                bits |= (uint64_t)(a & 0xFFFF) << bit_count; bit_count += a >> 16;
            }
            vis_store64(out, bits);
            out += bit_count >> 3;
            bits >>= bit_count & ~7u;
            bit_count &= 7;
            if (k < count) {
                uint64_t m = w->matches[k];
                uint32_t length = (uint32_t)(m >> 4) & 0x1FF, d = (uint32_t)(m & 15) - 1;
                bits |= (uint64_t)match_code[length] << bit_count;   /* at most 7 + 20 + 15 bits */
                bit_count += match_bits[length];
                bits |= (uint64_t)dist_codes[d] << bit_count;
                bit_count += dist_lengths[d];
                from = to + length;
            }
            vis_store64(out, bits);
            out += bit_count >> 3;
            bits >>= bit_count & ~7u;
            bit_count &= 7;
        }
        w->bits = bits;
        w->bit_count = bit_count;
        VIS_PUT(w, out, litlen_codes[256], litlen_lengths[256]);
        VIS_DRAIN(w, out);
    } else {
        for (size_t at = 0, b = 0; b < blocks; b++) {
            size_t size = n - at < 65535 ? n - at : 65535;
            VIS_PUT(w, out, final && b + 1 == blocks ? 1 : 0, 1);
            VIS_PUT(w, out, 0, 2);
            out = vis_align(w, out);
            out[0] = (uint8_t)size; out[1] = (uint8_t)(size >> 8);
            out[2] = (uint8_t)~size; out[3] = (uint8_t)(~size >> 8);
            memcpy(out + 4, w->band + at, size);
            out += 4 + size;
            at += size;
        }
    }
    if (!final && !w->ends_stream && w->rows_done == w->height) {
        /* End of a part: an empty stored block (as zlib's Z_SYNC_FLUSH) brings the stream
         * to a byte boundary, so the next part's bytes simply follow. */
        VIS_PUT(w, out, 0, 3);
        out = vis_align(w, out);
        out[0] = 0; out[1] = 0; out[2] = 0xFF; out[3] = 0xFF;
        out += 4;
    }
    w->chunk_used = (size_t)(out - w->chunk);
    w->band_used = 0;
    return vis_fast_flush_idat(w);
}

/* ---- public entry points ---- */

/* A writer without any output yet (`height` rows to come), or NULL with the message set. */
static vis_png_fast_writer *vis_fast_create(uint32_t width, uint32_t height, uint32_t channels, int fd,
                                            vis_status *status, char *message, size_t message_capacity) {
    vis_copy_message(message, message_capacity, "");
    *status = VIS_OK;
    if (width == 0 || height == 0 || channels < 1 || channels > 4 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) {
        vis_copy_message(message, message_capacity, "invalid PNG encode arguments");
        *status = VIS_ERR_BUFFER;
        return NULL;
    }
    vis_fast_init_tables();
    vis_png_fast_writer *w = (vis_png_fast_writer *)calloc(1, sizeof *w);
    if (w == NULL) {
        vis_copy_message(message, message_capacity, "out of memory for the PNG writer");
        *status = VIS_ERR_MEMORY;
        return NULL;
    }
    w->width = width; w->height = height; w->channels = channels;
    w->ends_stream = 1;
    w->row_bytes = (size_t)width * channels;
    w->fd = fd;
    w->message = message; w->message_capacity = message_capacity;
    w->adler = 1;
    size_t rows_per_band = VIS_FAST_BAND_BYTES / (w->row_bytes + 1);
    if (rows_per_band == 0) rows_per_band = 1;
#ifdef VIS_PNG_BENCH_CODERS
    vis_fast_read_coder();
    w->coder = vis_coder;
    if (w->coder == VIS_CODER_LIBDEFLATE) rows_per_band = height;
    if (w->coder == VIS_CODER_ZLIB) {
        if (deflateInit2(&w->zs, vis_coder_level, Z_DEFLATED, -15, 8, vis_coder_strategy) != Z_OK) {
            free(w);
            vis_copy_message(message, message_capacity, "out of memory for zlib");
            *status = VIS_ERR_MEMORY;
            return NULL;
        }
        w->zs_ready = 1;
    }
#endif
    w->band_capacity = rows_per_band * (w->row_bytes + 1);
    /* A band's block is at most its stored size (plus headers), or the dynamic one, which
     * was smaller; the chunk buffer holds one band's block plus the dynamic header. */
    w->chunk_capacity = 8 + w->band_capacity + (w->band_capacity / 65535 + 1) * 5 + 1024 + VIS_FAST_SLACK;
#ifdef VIS_PNG_BENCH_CODERS
    if (w->coder == VIS_CODER_LIBDEFLATE) w->chunk_capacity = 8 + libdeflate_deflate_compress_bound(NULL, w->band_capacity) + 1024;
#endif
    w->previous = (uint8_t *)calloc(w->row_bytes, 1);
    w->candidates = (uint8_t *)malloc(4 * w->row_bytes);
    w->band = (uint8_t *)malloc(w->band_capacity + VIS_FAST_SLACK);
    w->matches = (uint64_t *)malloc((w->band_capacity / VIS_FAST_MIN_MATCH + 1) * sizeof(uint64_t));
    w->chunk = (uint8_t *)malloc(w->chunk_capacity + 4);
    if (!w->previous || !w->candidates || !w->band || !w->matches || !w->chunk) {
        vis_png_fast_abort(w);
        vis_copy_message(message, message_capacity, "out of memory for the PNG writer");
        *status = VIS_ERR_MEMORY;
        return NULL;
    }
    w->chunk_used = 8;
    return w;
}

void vis_png_fast_head(uint32_t width, uint32_t height, uint32_t channels, uint8_t out[33]) {
    static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    static const uint8_t color_types[5] = { 0, 0, 4, 2, 6 };
    memcpy(out, signature, 8);
    uint8_t *ihdr = out + 8;
    vis_store_be32(ihdr, 13);
    memcpy(ihdr + 4, "IHDR", 4);
    vis_store_be32(ihdr + 8, width);
    vis_store_be32(ihdr + 12, height);
    ihdr[16] = 8; ihdr[17] = color_types[channels <= 4 ? channels : 0]; ihdr[18] = 0; ihdr[19] = 0; ihdr[20] = 0;
    vis_store_be32(ihdr + 21, (uint32_t)crc32(0L, ihdr + 4, 17));
}

void vis_png_fast_tail(uint32_t adler, uint8_t out[28]) {
    vis_store_be32(out, 4);
    memcpy(out + 4, "IDAT", 4);
    vis_store_be32(out + 8, adler);
    vis_store_be32(out + 12, (uint32_t)crc32(0L, out + 4, 8));
    vis_store_be32(out + 16, 0);
    memcpy(out + 20, "IEND", 4);
    vis_store_be32(out + 24, (uint32_t)crc32(0L, out + 20, 4));
}

uint32_t vis_png_fast_adler_combine(uint32_t first, uint32_t second, size_t second_length) {
    return (uint32_t)adler32_combine(first, second, (z_off_t)second_length);
}

vis_status vis_png_fast_begin(uint32_t width, uint32_t height, uint32_t channels, int fd,
                              vis_png_fast_writer **writer, char *message, size_t message_capacity) {
    if (writer == NULL) {
        vis_copy_message(message, message_capacity, "invalid PNG encode arguments");
        return VIS_ERR_BUFFER;
    }
    *writer = NULL;
    vis_status status;
    vis_png_fast_writer *w = vis_fast_create(width, height, channels, fd, &status, message, message_capacity);
    if (w == NULL) return status;
    uint8_t head[33];
    vis_png_fast_head(width, height, channels, head);
    if (vis_fast_emit(w, head, sizeof head) != VIS_OK) {
        status = w->status;
        vis_png_fast_abort(w);
        return status;
    }
    /* zlib header: deflate, 32 KB window, "fastest" level, check bits. */
    w->chunk[8] = 0x78; w->chunk[9] = 0x01;
    w->chunk_used = 10;
    *writer = w;
    return VIS_OK;
}

vis_status vis_png_fast_part_begin(uint32_t width, uint32_t height, uint32_t channels, uint32_t first_row,
                                   uint32_t end_row, const uint8_t *previous_row, vis_png_fast_writer **writer,
                                   char *message, size_t message_capacity) {
    if (writer == NULL || first_row >= end_row || end_row > height || (first_row > 0 && previous_row == NULL)) {
        vis_copy_message(message, message_capacity, "invalid PNG part arguments");
        return VIS_ERR_BUFFER;
    }
    *writer = NULL;
    vis_status status;
    vis_png_fast_writer *w = vis_fast_create(width, end_row - first_row, channels, -1, &status, message, message_capacity);
    if (w == NULL) return status;
    w->ends_stream = end_row == height;
    if (first_row > 0) memcpy(w->previous, previous_row, w->row_bytes);
    else { w->chunk[8] = 0x78; w->chunk[9] = 0x01; w->chunk_used = 10; }
    *writer = w;
    return VIS_OK;
}

vis_status vis_png_fast_part_finish(vis_png_fast_writer *w, uint8_t **out, size_t *out_size, uint32_t *adler) {
    *out = NULL;
    *out_size = 0;
    if (w->status == VIS_OK && w->rows_done != w->height) vis_fast_fail(w, VIS_ERR_BUFFER, "PNG part got too few rows");
    vis_status status = w->status;
    if (status == VIS_OK && w->ends_stream) {
        /* The final block's last bits. */
        uint8_t *end = vis_align(w, w->chunk + w->chunk_used);
        w->chunk_used = (size_t)(end - w->chunk);
        status = vis_fast_flush_idat(w);
    }
    if (status == VIS_OK) {
        *out = w->memory;
        *out_size = w->memory_size;
        *adler = w->adler;
        w->memory = NULL;
    }
    vis_png_fast_abort(w);
    return status;
}

vis_status vis_png_fast_part(const uint8_t *pixels, size_t stride, uint32_t width, uint32_t height,
                             uint32_t channels, uint32_t first_row, uint32_t end_row, uint8_t **out,
                             size_t *out_size, uint32_t *adler, char *message, size_t message_capacity) {
    if (out == NULL || out_size == NULL || adler == NULL || pixels == NULL) {
        vis_copy_message(message, message_capacity, "invalid PNG part arguments");
        return VIS_ERR_BUFFER;
    }
    *out = NULL;
    *out_size = 0;
    vis_png_fast_writer *w = NULL;
    const uint8_t *previous = first_row > 0 ? pixels + (size_t)(first_row - 1) * stride : NULL;
    vis_status status = vis_png_fast_part_begin(width, height, channels, first_row, end_row, previous, &w,
                                                message, message_capacity);
    if (status != VIS_OK) return status;
    vis_png_fast_rows(w, pixels + (size_t)first_row * stride, stride, end_row - first_row);
    return vis_png_fast_part_finish(w, out, out_size, adler);
}

vis_status vis_png_fast_rows(vis_png_fast_writer *w, const uint8_t *rows, size_t stride, uint32_t count) {
    if (w->status != VIS_OK) return w->status;
    if (count > w->height - w->rows_done)
        return vis_fast_fail(w, VIS_ERR_BUFFER, "more rows than the PNG's height");
    for (uint32_t y = 0; y < count; y++) {
        vis_fast_filter_row(w, rows + (size_t)y * stride);
        w->rows_done++;
        int last = w->rows_done == w->height;
        if (last || w->band_capacity - w->band_used < w->row_bytes + 1)
            if (vis_fast_compress_band(w, last && w->ends_stream) != VIS_OK) return w->status;
    }
    return VIS_OK;
}

vis_status vis_png_fast_finish(vis_png_fast_writer *w, uint8_t **out, size_t *out_size) {
    if (out) *out = NULL;
    if (out_size) *out_size = 0;
    if (w->status == VIS_OK && w->rows_done != w->height) {
        char text[96];
        snprintf(text, sizeof text, "PNG writer got %u of %u rows", w->rows_done, w->height);
        vis_fast_fail(w, VIS_ERR_BUFFER, text);
    }
    if (w->status == VIS_OK) {
        uint8_t *end = vis_align(w, w->chunk + w->chunk_used);
        vis_store_be32(end, w->adler);
        w->chunk_used = (size_t)(end + 4 - w->chunk);
        if (vis_fast_flush_idat(w) == VIS_OK) vis_fast_chunk(w, "IEND", NULL, 0);
    }
    vis_status status = w->status;
    if (status == VIS_OK && w->fd < 0 && out && out_size) {
        *out = w->memory;
        *out_size = w->memory_size;
        w->memory = NULL;
    }
    vis_png_fast_abort(w);
    return status;
}

void vis_png_fast_abort(vis_png_fast_writer *w) {
    if (w == NULL) return;
#ifdef VIS_PNG_BENCH_CODERS
    if (w->zs_ready) deflateEnd(&w->zs);
#endif
    free(w->previous); free(w->candidates); free(w->band); free(w->matches); free(w->chunk); free(w->memory);
    free(w);
}

vis_status vis_png_fast_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               uint32_t channels, int fd, uint8_t **out, size_t *out_size,
                               char *message, size_t message_capacity) {
    vis_png_fast_writer *w = NULL;
    if (pixels == NULL) {
        vis_copy_message(message, message_capacity, "invalid PNG encode arguments");
        return VIS_ERR_BUFFER;
    }
    vis_status status = vis_png_fast_begin(width, height, channels, fd, &w, message, message_capacity);
    if (status != VIS_OK) return status;
    vis_png_fast_rows(w, pixels, (size_t)width * channels, height);
    return vis_png_fast_finish(w, out, out_size);
}
