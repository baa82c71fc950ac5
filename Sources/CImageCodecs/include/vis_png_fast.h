/*
 * vis_png_fast: vis's own PNG writer for 8-bit images (grey, grey+alpha, RGB, RGBA).
 *
 * No stable API: this header exists for the ImageCodecs Swift target only.
 *
 * In the spirit of fpnge (Google's fast PNG encoder): each row gets the filter (None, Sub,
 * Up, Average or Paeth) with the smallest sum of absolute filtered values; the filtered rows
 * are cut into bands of about 256 KB, and each band becomes one deflate block with dynamic
 * Huffman codes built from that band's histogram (or a stored block if that is smaller).
 * The only matches are runs at distance 1 or one pixel (flat areas, constant gradients).
 * Each band's compressed bytes become one IDAT chunk, written to a file descriptor as it is
 * produced (or appended to a malloc'd buffer), so memory stays a few bands whatever the
 * image size. The file holds IHDR, IDAT..., IEND; zlib checks it (Adler-32, CRC-32).
 *
 * Rows may be pushed in any number of calls (vis_png_fast_rows), so a caller can encode an
 * image it produces band by band without holding all of it.
 */
#ifndef VIS_PNG_FAST_H
#define VIS_PNG_FAST_H

#include "vis_codecs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An encode in progress. Opaque. */
typedef struct vis_png_fast_writer vis_png_fast_writer;

/* Starts an encode of a `width` x `height` image with 1-4 8-bit channels. With `fd` >= 0
 * the file goes to that descriptor (written as it is produced, not closed); with `fd` < 0
 * it is collected in memory and handed back by vis_png_fast_finish. On success `*writer`
 * must be given to vis_png_fast_finish or vis_png_fast_abort. */
vis_status vis_png_fast_begin(uint32_t width, uint32_t height, uint32_t channels, int fd,
                              vis_png_fast_writer **writer, char *message, size_t message_capacity);

/* Adds `count` rows (each width*channels bytes, `stride` bytes apart). After an error the
 * writer only reports it again (the message is in the buffer given to begin); abort it. */
vis_status vis_png_fast_rows(vis_png_fast_writer *writer, const uint8_t *rows, size_t stride,
                             uint32_t count);

/* Ends the stream after the last row and frees the writer. In memory mode `*out` gets a
 * malloc'd buffer (free it with vis_free) of `*out_size` bytes; with a descriptor both
 * may be NULL. Fails (and frees the writer) if fewer rows than `height` were given. */
vis_status vis_png_fast_finish(vis_png_fast_writer *writer, uint8_t **out, size_t *out_size);

/* Frees a writer without finishing (what was written to the descriptor stays there). */
void vis_png_fast_abort(vis_png_fast_writer *writer);

/* Whole operation: begin, all rows (row-major, width*channels bytes each), finish. */
vis_status vis_png_fast_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               uint32_t channels, int fd, uint8_t **out, size_t *out_size,
                               char *message, size_t message_capacity);

/* Parallel encoding of an image held whole in memory: the PNG is vis_png_fast_head, then
 * the parts in row order, then vis_png_fast_tail with the parts' Adler-32s combined.
 *
 * A part covers rows [first_row, end_row) of `pixels` (the whole image, rows `stride`
 * bytes apart; the row above first_row is read for the filters). `*out` gets complete IDAT
 * chunks (malloc'd, free with vis_free): the zlib header first when first_row == 0, the
 * final deflate block when end_row == height; any other part ends on a byte boundary with
 * an empty stored block, so parts concatenate. `*adler` gets the Adler-32 (from 1) of the
 * part's share of the zlib data. */
vis_status vis_png_fast_part(const uint8_t *pixels, size_t stride, uint32_t width, uint32_t height,
                             uint32_t channels, uint32_t first_row, uint32_t end_row, uint8_t **out,
                             size_t *out_size, uint32_t *adler, char *message, size_t message_capacity);

/* The same part with its rows pushed as they are produced: begin (`previous_row` is row
 * first_row - 1, NULL when first_row is 0; it is copied), vis_png_fast_rows for the
 * end_row - first_row rows in order, then finish, which frees the writer and gives what
 * vis_png_fast_part gives (or fails if rows are missing). */
vis_status vis_png_fast_part_begin(uint32_t width, uint32_t height, uint32_t channels, uint32_t first_row,
                                   uint32_t end_row, const uint8_t *previous_row, vis_png_fast_writer **writer,
                                   char *message, size_t message_capacity);
vis_status vis_png_fast_part_finish(vis_png_fast_writer *writer, uint8_t **out, size_t *out_size, uint32_t *adler);

/* The 33 bytes before the IDAT chunks: PNG signature and IHDR. */
void vis_png_fast_head(uint32_t width, uint32_t height, uint32_t channels, uint8_t out[33]);

/* The 28 bytes after the parts: an IDAT chunk with the zlib stream's Adler-32, and IEND. */
void vis_png_fast_tail(uint32_t adler, uint8_t out[28]);

/* 1 (the default): use the AVX2 kernels where the CPU has them; 0: the portable code only
 * (for tests; both give the same bytes). */
void vis_png_fast_set_simd(int enabled);

/* 1 when the image must be one part: the bench-only build's libdeflate coder (see
 * vis_png_fast.c, VIS_PNG_BENCH_CODERS); always 0 in the package's own build. */
int vis_png_fast_single_part(void);

/* Adler-32 of A followed by B, from adler(A), adler(B) and B's length (zlib's combine). */
uint32_t vis_png_fast_adler_combine(uint32_t first, uint32_t second, size_t second_length);

#ifdef __cplusplus
}
#endif

#endif
