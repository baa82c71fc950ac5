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

#ifdef __cplusplus
}
#endif

#endif
