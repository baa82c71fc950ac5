/*
 * vis_gzip: whole-buffer gzip decompression through zlib (for the MNIST IDX files).
 *
 * No stable API: this header exists for the ImageCodecs Swift target only. Nothing here
 * prints; zlib's own message is copied into the caller's buffer.
 */
#ifndef VIS_GZIP_H
#define VIS_GZIP_H

#include <stddef.h>
#include <stdint.h>
#include "vis_codecs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Inflates the gzip member(s) in `data` into `out`. `*out_size` receives the number of
 * bytes written. Returns VIS_ERR_BUFFER when the data inflates to more than
 * `out_capacity` bytes, VIS_ERR_TRUNCATED when the stream ends early and VIS_ERR_CORRUPT
 * for a bad header, bad deflate data or a bad CRC-32/length trailer. */
vis_status vis_gunzip(const uint8_t *data, size_t size, uint8_t *out, size_t out_capacity,
                      size_t *out_size, char *message, size_t message_capacity);

#ifdef __cplusplus
}
#endif

#endif
