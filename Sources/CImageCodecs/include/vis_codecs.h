/*
 * vis_codecs: the only code in vis that calls libpng and libjpeg.
 *
 * No stable API: this header exists for the ImageCodecs Swift target only.
 *
 * Every entry point performs a whole operation (probe, decode into a caller-owned buffer,
 * encode into a malloc'd buffer), sets its own setjmp in the same C frame as the library
 * calls, and returns a vis_status. The library's own message is copied into the caller's
 * message buffer. Nothing here prints. Data is read from memory through bounds-checked C
 * callbacks, never through Swift closures.
 */
#ifndef VIS_CODECS_H
#define VIS_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result of every entry point. */
typedef enum {
    VIS_OK = 0,
    VIS_ERR_CORRUPT = 1,       /* the library rejected the data (bad CRC, invalid header, ...) */
    VIS_ERR_TRUNCATED = 2,     /* the data ended before the image did */
    VIS_ERR_UNSUPPORTED = 3,   /* valid but not supported (e.g. 12-bit JPEG) */
    VIS_ERR_MEMORY = 4,        /* allocation failed */
    VIS_ERR_BUFFER = 5,        /* caller's buffer too small or arguments invalid */
} vis_status;

/* What a decode will produce, after the shim's transforms. */
typedef struct {
    uint32_t width;           /* output width (after DCT scaling for JPEG) */
    uint32_t height;          /* output height */
    uint32_t full_width;      /* width stored in the file */
    uint32_t full_height;     /* height stored in the file */
    uint32_t channels;        /* 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
    uint32_t bit_depth;       /* 8 or 16 bits per sample */
    uint32_t file_bit_depth;  /* bit depth stored in the file */
    uint32_t color_type;      /* PNG colour type, or libjpeg's J_COLOR_SPACE of the file */
    uint32_t interlaced;      /* PNG Adam7 / JPEG progressive */
    uint32_t warnings;        /* library warnings seen (not fatal) */
} vis_image_info;

/* PNG: reads the header and reports the output of a decode with the shim's transforms
 * (palette -> RGB, low-bit grey -> 8 bit, tRNS -> alpha, 16 bit kept). */
vis_status vis_png_probe(const uint8_t *data, size_t size, vis_image_info *info,
                         char *message, size_t message_capacity);

/* PNG: decodes into `out` (row-major, interleaved; 16-bit samples in native byte order).
 * `out_size` must be at least width*height*channels*(bit_depth/8) of the probe. */
vis_status vis_png_decode(const uint8_t *data, size_t size, uint8_t *out, size_t out_size,
                          vis_image_info *info, char *message, size_t message_capacity);

/* PNG: encodes 8- or 16-bit (native byte order) samples with 1-4 channels at zlib
 * `level` 0-9 into a malloc'd buffer that the caller frees with vis_free. Levels 0 and 1
 * use the Sub filter on every row (fast); higher levels let libpng pick per row. */
vis_status vis_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                          uint32_t channels, uint32_t bit_depth, int level,
                          uint8_t **out, size_t *out_size,
                          char *message, size_t message_capacity);

/* JPEG: reads the header; `scale_denom` (1, 2, 4 or 8) selects libjpeg's DCT scaling
 * (scale_num = 1) and the reported output size. */
vis_status vis_jpeg_probe(const uint8_t *data, size_t size, unsigned scale_denom,
                          vis_image_info *info, char *message, size_t message_capacity);

/* JPEG: decodes to 1 (grey) or 3 (RGB) 8-bit channels. YCbCr/RGB -> RGB; CMYK and YCCK
 * (Adobe inverted flag respected) -> RGB. Corrupt-data warnings (premature end, bad
 * Huffman code, ...) are an error unless `allow_truncated`. */
vis_status vis_jpeg_decode(const uint8_t *data, size_t size, unsigned scale_denom,
                           int allow_truncated, uint8_t *out, size_t out_size,
                           vis_image_info *info, char *message, size_t message_capacity);

/* JPEG: encodes 8-bit grey (1 channel) or RGB (3) at libjpeg `quality` 1-100 (4:2:0, the
 * library's defaults) into a malloc'd buffer that the caller frees with vis_free. */
vis_status vis_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                           int quality, uint8_t **out, size_t *out_size,
                           char *message, size_t message_capacity);

/* Frees a buffer returned by vis_png_encode or vis_jpeg_encode. */
void vis_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
