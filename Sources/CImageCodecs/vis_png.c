/* PNG decode and encode through libpng, every call behind a setjmp in this frame. */
#include "vis_codecs.h"
#include "vis_message.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Largest ancillary chunk (or decompressed zTXt/iCCP/iTXt text) accepted, in bytes. */
#define VIS_PNG_CHUNK_MAX 8000000
/* Inflated bytes accepted after the image's rows (at least; see vis_png_count_inflated). */
#define VIS_PNG_EXCESS_MIN (16u << 20)
/* Bytes libpng may read once the rows are complete before the shim counts the stream itself
 * (see vis_png_read). With libpng's 8 KB read buffer (PNG_IDAT_READ_SIZE) already in hand,
 * the excess libpng inflates unchecked is at most 1032 x (8192 + 4096) bytes = 12.7 MB
 * (deflate's largest ratio is 1032:1), under VIS_PNG_EXCESS_MIN. */
#define VIS_PNG_FINISH_READ_MAX 4096

/* Where libpng's messages go: the caller's buffer, never stderr. */
typedef struct {
    char *message;
    size_t capacity;
    unsigned warnings;
} vis_png_messages;

/* Bounds-checked memory source. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
    volatile int ran_out;     /* read after longjmp: volatile */
    int final_call;           /* inside the last png_read_row call */
    int rows_complete;        /* every row is in the caller's buffer (vis_png_mark_rows) */
    size_t read_after_rows;   /* bytes libpng read since then */
    volatile int stopped;     /* the read was stopped after the rows (see vis_png_read) */
} vis_png_source;

/* Growable memory sink for encoding. */
typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} vis_png_sink;

static void vis_png_error(png_structp png, png_const_charp text) {
    vis_png_messages *m = (vis_png_messages *)png_get_error_ptr(png);
    if (m != NULL) vis_copy_message(m->message, m->capacity, text);
    png_longjmp(png, 1);
}

static void vis_png_warning(png_structp png, png_const_charp text) {
    vis_png_messages *m = (vis_png_messages *)png_get_error_ptr(png);
    if (m != NULL) m->warnings += 1;
    /* Benign errors arrive here as warnings, e.g. "Too much image data" / "Extra compressed
     * data" (the IDAT stream holds more than the rows) or a wrong Adler-32 read after the last
     * row: libpng decodes such files, and so does the shim. Their cost is bounded by
     * vis_png_read (the inflated excess), not here. */
    (void)text;
}

/* Once the last row is complete, libpng 1.6 inflates whatever the IDAT stream still holds
 * (1 KB at a time, inside the last png_read_row) before its benign "Too much image data":
 * a 65 KB file can inflate to 64 MB, a 10 MB one to ~10 GB. So after the rows, libpng may
 * read only VIS_PNG_FINISH_READ_MAX more bytes; past that the read stops here (the image
 * is complete in the caller's buffer) and vis_png_count_inflated decides. */
static void vis_png_read(png_structp png, png_bytep out, size_t length) {
    vis_png_source *s = (vis_png_source *)png_get_io_ptr(png);
    if (s->rows_complete) {
        s->read_after_rows += length;
        if (s->read_after_rows > VIS_PNG_FINISH_READ_MAX) {
            s->stopped = 1;
            png_error(png, "IDAT data after the last row");
        }
    }
    if (length > s->size - s->position) {
        s->ran_out = 1;
        png_error(png, "unexpected end of file");
    }
    memcpy(out, s->data + s->position, length);
    s->position += length;
}

static void vis_png_write(png_structp png, png_bytep in, size_t length) {
    vis_png_sink *s = (vis_png_sink *)png_get_io_ptr(png);
    if (length > s->capacity - s->size) {
        size_t wanted = s->capacity ? s->capacity : 4096;
        while (wanted - s->size < length) {
            if (wanted > SIZE_MAX / 2) png_error(png, "out of memory");
            wanted *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(s->data, wanted);
        if (grown == NULL) png_error(png, "out of memory");
        s->data = grown;
        s->capacity = wanted;
    }
    memcpy(s->data + s->size, in, length);
    s->size += length;
}

static void vis_png_flush(png_structp png) { (void)png; }

/* Walks the chunk layout before libpng sees the file: every chunk must fit in the bytes
 * that remain. libpng 1.6.39 allocates a chunk's declared length before reading it (a
 * 57-byte file declaring a 1 GB zTXt chunk made it allocate 1 GB), so no chunk may claim
 * more than the file holds. Stops at IEND; a file that simply ends is left to libpng. */
static vis_status vis_png_check_chunks(const uint8_t *data, size_t size, char *message, size_t capacity) {
    size_t position = 8;
    while (size - position >= 8) {
        const uint8_t *p = data + position;
        uint32_t length = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        char type[5] = { (char)p[4], (char)p[5], (char)p[6], (char)p[7], 0 };
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) type[i] = '?';
        if (length > 0x7FFFFFFFu) {
            char text[128];
            snprintf(text, sizeof text, "%s chunk declares %u bytes, beyond the PNG limit of 2^31-1", type, length);
            vis_copy_message(message, capacity, text);
            return VIS_ERR_CORRUPT;
        }
        size_t remaining = size - position - 8;
        if ((size_t)length + 4 > remaining) {
            char text[160];
            snprintf(text, sizeof text, "%s chunk declares %u bytes but the file holds only %zu more",
                     type, length, remaining >= 4 ? remaining - 4 : 0);
            vis_copy_message(message, capacity, text);
            return VIS_ERR_TRUNCATED;
        }
        if (memcmp(p + 4, "IEND", 4) == 0) break;
        position += 12 + (size_t)length;
    }
    return VIS_OK;
}

/* Inflates the file's IDAT stream, counting the bytes and discarding them, until it ends or
 * passes `limit`: called only when libpng, its rows complete, still had IDAT data to read
 * (vis_png_read). The rows need `needed` bytes; up to max(needed, 16 MiB) more are accepted,
 * as libpng accepts them (with a benign warning), so a valid-but-odd file still decodes while
 * a stream of zeros after the rows (a bomb) costs at most twice an honest file of its size or
 * 16 MiB. An inflate error after the rows (e.g. a wrong Adler-32 in the last IDAT) is benign,
 * as it is for libpng there. Memory: one 64 KB buffer. */
static vis_status vis_png_count_inflated(const uint8_t *data, size_t size, size_t needed,
                                         char *message, size_t capacity) {
    size_t limit = needed + (needed > VIS_PNG_EXCESS_MIN ? needed : VIS_PNG_EXCESS_MIN);
    static const size_t scratch_size = 65536;
    uint8_t *scratch = (uint8_t *)malloc(scratch_size);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (scratch == NULL || inflateInit(&z) != Z_OK) {
        free(scratch);
        vis_copy_message(message, capacity, "out of memory for the IDAT check");
        return VIS_ERR_MEMORY;
    }
    size_t inflated = 0, at = 8;
    int ended = 0;
    while (!ended && size - at >= 12) {  /* vis_png_check_chunks made every chunk fit */
        const uint8_t *p = data + at;
        size_t length = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
        if (memcmp(p + 4, "IEND", 4) == 0 || length + 12 > size - at) break;
        if (memcmp(p + 4, "IDAT", 4) == 0) {
            z.next_in = (Bytef *)(p + 8);
            z.avail_in = (uInt)length;
            while (z.avail_in > 0 && !ended) {
                z.next_out = scratch;
                z.avail_out = (uInt)scratch_size;
                int ret = inflate(&z, Z_NO_FLUSH);
                inflated += scratch_size - z.avail_out;
                if (ret != Z_OK) ended = 1;  /* end of stream, or an error after the rows */
                if (inflated > limit) {
                    char text[200];
                    snprintf(text, sizeof text,
                             "IDAT: Too much image data (the stream inflates to more than %zu bytes for %zu bytes of rows)",
                             limit, needed);
                    vis_copy_message(message, capacity, text);
                    inflateEnd(&z);
                    free(scratch);
                    return VIS_ERR_CORRUPT;
                }
            }
        }
        at += 12 + length;
    }
    inflateEnd(&z);
    free(scratch);
    return VIS_OK;
}

/* Bytes of the inflated IDAT stream: each pass's rows, each with its filter byte. */
static size_t vis_png_row_bytes(unsigned bits_per_pixel, size_t columns) {
    return (columns * bits_per_pixel + 7) / 8;
}

static size_t vis_png_stream_bytes(uint32_t width, uint32_t height, unsigned bits_per_pixel, int interlaced) {
    if (!interlaced) return (size_t)height * (vis_png_row_bytes(bits_per_pixel, width) + 1);
    size_t total = 0;
    for (int pass = 0; pass < 7; pass++) {
        size_t columns = PNG_PASS_COLS(width, pass), rows = PNG_PASS_ROWS(height, pass);
        if (columns != 0) total += rows * (vis_png_row_bytes(bits_per_pixel, columns) + 1);
    }
    return total;
}

/* A user transform that changes nothing: libpng calls it once per row with data, after the
 * row is inflated and just before it is copied out (no read in between). In the last
 * png_read_row call, that marks the rows complete: libpng's reads after it are for what
 * follows the rows in the stream (see vis_png_read). */
static void vis_png_mark_rows(png_structp png, png_row_infop row, png_bytep data) {
    (void)row; (void)data;
    vis_png_source *s = (vis_png_source *)png_get_io_ptr(png);
    if (s->final_call) s->rows_complete = 1;
}

/* After png_read_info: asks for the output the shim promises and reports it. */
static void vis_png_configure(png_structp png, png_infop info, vis_image_info *out) {
    png_uint_32 width = 0, height = 0;
    int depth = 0, color = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    out->full_width = width;
    out->full_height = height;
    out->file_bit_depth = (uint32_t)depth;
    out->color_type = (uint32_t)color;
    out->interlaced = interlace != PNG_INTERLACE_NONE;
    /* palette -> RGB(A), grey 1/2/4 -> 8, tRNS -> alpha; no gamma correction. */
    if (color == PNG_COLOR_TYPE_PALETTE || depth < 8 || png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_expand(png);
    if (depth == 16 && vis_host_is_little_endian()) png_set_swap(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->channels = png_get_channels(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
}

static png_structp vis_png_reader(vis_png_messages *messages) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, messages,
                                             vis_png_error, vis_png_warning);
    if (png == NULL) return NULL;
    png_set_benign_errors(png, 1);
    /* Explicit limits (libpng's defaults are not applied to every chunk): an ancillary
     * chunk, or a zTXt/iCCP/iTXt chunk once inflated, may not exceed 8 MB; at most 1000
     * sPLT/text/unknown chunks are kept; the width and height checks stay in Swift
     * (DecodeOptions.maxPixels) and libpng's own 1,000,000 bound. */
    png_set_chunk_malloc_max(png, VIS_PNG_CHUNK_MAX);
    png_set_chunk_cache_max(png, 1000);
#ifdef VIS_FUZZING
    /* fuzz/build.sh only: mutated inputs rarely keep valid CRCs, so accept them (as
     * libpng's own OSS-Fuzz harness does) to let the fuzzer reach the decoder. */
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
#endif
#ifdef PNG_SKIP_sRGB_CHECK_PROFILE
    png_set_option(png, PNG_SKIP_sRGB_CHECK_PROFILE, PNG_OPTION_ON);
#endif
    return png;
}

/* Shared body of probe and decode. `out` NULL means probe only. */
static vis_status vis_png_run(const uint8_t *data, size_t size, uint8_t *out, size_t out_size,
                              vis_image_info *info, char *message, size_t capacity) {
    vis_png_messages messages = { message, capacity, 0 };
    vis_png_source source = { data, size, 0, 0, 0, 0, 0, 0 };
    vis_copy_message(message, capacity, "");
    memset(info, 0, sizeof *info);
    if (data == NULL || size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        vis_copy_message(message, capacity, "Not a PNG file");
        return VIS_ERR_CORRUPT;
    }
    vis_status layout = vis_png_check_chunks(data, size, message, capacity);
    if (layout != VIS_OK) return layout;
    png_structp png = vis_png_reader(&messages);
    if (png == NULL) {
        vis_copy_message(message, capacity, "libpng could not allocate its state");
        return VIS_ERR_MEMORY;
    }
    png_infop png_info = png_create_info_struct(png);
    png_bytep *volatile rows = NULL;
    volatile size_t stream_bytes = 0;
    volatile vis_status status = VIS_OK;
    if (png_info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        vis_copy_message(message, capacity, "libpng could not allocate its info");
        return VIS_ERR_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        if (source.stopped) {  /* the rows are complete: is what follows them a bomb? */
            vis_copy_message(message, capacity, "");
            status = vis_png_count_inflated(data, size, stream_bytes, message, capacity);
            goto done;
        }
        status = source.ran_out ? VIS_ERR_TRUNCATED : VIS_ERR_CORRUPT;
        if (source.ran_out) vis_copy_message(message, capacity, "file ends before the image data does");
        goto done;
    }
    png_set_read_fn(png, &source, vis_png_read);
    png_read_info(png, png_info);
    if (out != NULL) {
        static const unsigned channels_of_color_type[7] = { 1, 0, 3, 1, 2, 0, 4 };
        png_uint_32 width = png_get_image_width(png, png_info), height = png_get_image_height(png, png_info);
        int color = png_get_color_type(png, png_info);
        unsigned bits = png_get_bit_depth(png, png_info) * channels_of_color_type[color & 7];
        stream_bytes = vis_png_stream_bytes(width, height, bits,
                                            png_get_interlace_type(png, png_info) != PNG_INTERLACE_NONE);
        png_set_read_user_transform_fn(png, vis_png_mark_rows);
    }
    vis_png_configure(png, png_info, info);
    if (out != NULL) {
        size_t row_bytes = png_get_rowbytes(png, png_info);
        if (info->height != 0 && row_bytes > out_size / info->height) {
            vis_copy_message(message, capacity, "output buffer too small for the image");
            status = VIS_ERR_BUFFER;
            goto done;
        }
        rows = (png_bytep *)malloc(sizeof(png_bytep) * (info->height ? info->height : 1));
        if (rows == NULL) {
            vis_copy_message(message, capacity, "out of memory for row pointers");
            status = VIS_ERR_MEMORY;
            goto done;
        }
        for (uint32_t y = 0; y < info->height; y++) rows[y] = out + (size_t)y * row_bytes;
        /* png_read_image's loop. libpng inflates what follows the rows inside the last call,
         * where vis_png_read bounds it. That call reads a row of pixels except for an
         * interlaced image's last row of pass 6 when it is even (pass 6 holds the odd rows):
         * then every row is complete before the call. */
        int passes = png_set_interlace_handling(png);
        for (int pass = 0; pass < passes; pass++) {
            for (uint32_t y = 0; y < info->height; y++) {
                if (pass == passes - 1 && y == info->height - 1) {
                    source.final_call = 1;
                    source.rows_complete = passes > 1 && y % 2 == 0;
                }
                png_read_row(png, rows[y], NULL);
            }
        }
        source.rows_complete = 0;  /* png_read_end's chunks are not IDAT excess */
        png_read_end(png, NULL);
    }
done:
    info->warnings = messages.warnings;
    free(rows);
    png_destroy_read_struct(&png, &png_info, NULL);
    return status;
}

vis_status vis_png_probe(const uint8_t *data, size_t size, vis_image_info *info,
                         char *message, size_t message_capacity) {
    return vis_png_run(data, size, NULL, 0, info, message, message_capacity);
}

vis_status vis_png_decode(const uint8_t *data, size_t size, uint8_t *out, size_t out_size,
                          vis_image_info *info, char *message, size_t message_capacity) {
    if (out == NULL) {
        vis_copy_message(message, message_capacity, "no output buffer");
        return VIS_ERR_BUFFER;
    }
    return vis_png_run(data, size, out, out_size, info, message, message_capacity);
}

vis_status vis_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                          uint32_t channels, uint32_t bit_depth, int level,
                          uint8_t **out, size_t *out_size,
                          char *message, size_t message_capacity) {
    static const int color_types[5] = { 0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    vis_copy_message(message, message_capacity, "");
    if (out == NULL || out_size == NULL || pixels == NULL || width == 0 || height == 0 ||
        channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16) ||
        level < 0 || level > 9) {
        vis_copy_message(message, message_capacity, "invalid PNG encode arguments");
        return VIS_ERR_BUFFER;
    }
    *out = NULL;
    *out_size = 0;
    vis_png_messages messages = { message, message_capacity, 0 };
    vis_png_sink sink = { NULL, 0, 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &messages,
                                              vis_png_error, vis_png_warning);
    if (png == NULL) return VIS_ERR_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return VIS_ERR_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(sink.data);
        png_destroy_write_struct(&png, &info);
        return VIS_ERR_CORRUPT;
    }
    png_set_write_fn(png, &sink, vis_png_write, vis_png_flush);
    png_set_compression_level(png, level);
    /* At the fast levels, one fixed filter (Sub) instead of libpng's per-row trial of all
       five (the trial costs as much as deflate itself at level 1), and run-length matching
       only (Z_RLE), which on Sub-filtered photos is both faster and ~15% smaller than level 1. */
    if (level <= 1) png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    if (level <= 1) png_set_compression_strategy(png, 3 /* Z_RLE */);
    png_set_IHDR(png, info, width, height, (int)bit_depth, color_types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bit_depth == 16 && vis_host_is_little_endian()) png_set_swap(png);
    size_t row_bytes = (size_t)width * channels * (bit_depth / 8);
    for (uint32_t y = 0; y < height; y++)
        png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *out = sink.data;
    *out_size = sink.size;
    return VIS_OK;
}

void vis_free(void *pointer) { free(pointer); }
