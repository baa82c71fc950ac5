/* JPEG decode through libjpeg-turbo, every call behind a setjmp in this frame. */
#include "vis_codecs.h"
#include "vis_message.h"

#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* A progressive JPEG may hold any number of scans, each a pass over the whole image: a small
 * file with thousands of scans is a CPU bomb. libjpeg-turbo's own advice (djpeg -maxscans,
 * TJPARAM_SCANLIMIT) is a progress monitor that stops the decode past a limit. */
#define VIS_JPEG_MAX_SCANS 1000
/* Memory libjpeg may use for its own buffers (the whole-image coefficient arrays of a
 * progressive or multi-scan file); beyond it the decode fails ("Backing store not
 * supported") instead of growing. The pixel output itself is allocated by the caller. */
#define VIS_JPEG_MAX_MEMORY 2000000000L

typedef struct {
    struct jpeg_progress_mgr pub;
} vis_jpeg_progress;

/* libjpeg's error manager extended with our jump target and the caller's buffer. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *message;
    size_t capacity;
    int allow_truncated;
    int code;          /* msg_code that stopped the decode */
    unsigned warnings;
} vis_jpeg_errors;

/* Warnings that mean the pixels are wrong: premature end, corrupt entropy-coded data. */
static int vis_jpeg_is_corrupt_warning(int code) {
    return code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_MUST_RESYNC ||
           code == JWRN_HUFF_BAD_CODE || code == JWRN_ARITH_BAD_CODE ||
           code == JWRN_BOGUS_PROGRESSION;
}

static void vis_jpeg_store_message(j_common_ptr cinfo) {
    vis_jpeg_errors *e = (vis_jpeg_errors *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    text[0] = '\0';
    (*cinfo->err->format_message)(cinfo, text);
    vis_copy_message(e->message, e->capacity, text);
}

static void vis_jpeg_error_exit(j_common_ptr cinfo) {
    vis_jpeg_errors *e = (vis_jpeg_errors *)cinfo->err;
    e->code = cinfo->err->msg_code;
    vis_jpeg_store_message(cinfo);
    longjmp(e->jump, 1);
}

static void vis_jpeg_emit_message(j_common_ptr cinfo, int level) {
    vis_jpeg_errors *e = (vis_jpeg_errors *)cinfo->err;
    if (level >= 0) return; /* trace messages */
    e->warnings += 1;
    cinfo->err->num_warnings += 1;
    int code = cinfo->err->msg_code;
    if (vis_jpeg_is_corrupt_warning(code) && !e->allow_truncated) {
        e->code = code;
        vis_jpeg_store_message(cinfo);
        longjmp(e->jump, 1);
    }
}

static void vis_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; /* never print */ }

static void vis_jpeg_progress_monitor(j_common_ptr cinfo) {
    if (cinfo->is_decompressor) {
        j_decompress_ptr d = (j_decompress_ptr)cinfo;
        if (d->input_scan_number > VIS_JPEG_MAX_SCANS) {
            vis_jpeg_errors *e = (vis_jpeg_errors *)cinfo->err;
            char text[96];
            snprintf(text, sizeof text, "more than %d progressive scans", VIS_JPEG_MAX_SCANS);
            e->code = -1;
            vis_copy_message(e->message, e->capacity, text);
            longjmp(e->jump, 1);
        }
    }
}

static vis_status vis_jpeg_status_for(int code) {
    switch (code) {
    case JWRN_JPEG_EOF: case JERR_INPUT_EOF: case JERR_INPUT_EMPTY: return VIS_ERR_TRUNCATED;
    case JERR_BAD_PRECISION: case JERR_NOT_COMPILED: case JERR_CCIR601_NOTIMPL:
        return VIS_ERR_UNSUPPORTED;
    case JERR_OUT_OF_MEMORY: return VIS_ERR_MEMORY;
    default: return VIS_ERR_CORRUPT;
    }
}

/* MULDIV255 of Pillow's Convert.c, so CMYK -> RGB matches Pillow's convert("RGB"). */
static inline uint8_t vis_muldiv255(unsigned a, unsigned b) {
    unsigned t = a * b + 128;
    return (uint8_t)(((t >> 8) + t) >> 8);
}

/* One CMYK row (libjpeg's CMYK, YCCK already converted) to RGB. Adobe files store the
 * inks inverted (0 = full ink), as Pillow's "CMYK;I" raw mode assumes. */
static void vis_cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        unsigned nk = 255 - k;
        rgb[3 * x] = (uint8_t)(nk - vis_muldiv255(c, nk));
        rgb[3 * x + 1] = (uint8_t)(nk - vis_muldiv255(m, nk));
        rgb[3 * x + 2] = (uint8_t)(nk - vis_muldiv255(y, nk));
    }
}

static vis_status vis_jpeg_run(const uint8_t *data, size_t size, unsigned scale_denom,
                               int allow_truncated, uint8_t *out, size_t out_size,
                               vis_image_info *info, char *message, size_t capacity) {
    struct jpeg_decompress_struct cinfo;
    vis_jpeg_errors errors;
    vis_jpeg_progress progress;
    uint8_t *volatile cmyk_row = NULL;
    volatile vis_status status = VIS_OK;
    memset(info, 0, sizeof *info);
    memset(&errors, 0, sizeof errors);
    memset(&progress, 0, sizeof progress);
    memset(&cinfo, 0, sizeof cinfo);
    vis_copy_message(message, capacity, "");
    if (data == NULL || size < 3 || data[0] != 0xFF || data[1] != 0xD8) {
        vis_copy_message(message, capacity, "Not a JPEG file: starts with no SOI marker");
        return VIS_ERR_CORRUPT;
    }
    if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) {
        vis_copy_message(message, capacity, "JPEG scale denominator must be 1, 2, 4 or 8");
        return VIS_ERR_BUFFER;
    }
    cinfo.err = jpeg_std_error(&errors.pub);
    errors.pub.error_exit = vis_jpeg_error_exit;
    errors.pub.emit_message = vis_jpeg_emit_message;
    errors.pub.output_message = vis_jpeg_output_message;
    errors.message = message;
    errors.capacity = capacity;
    errors.allow_truncated = allow_truncated;
    if (setjmp(errors.jump)) {
        status = vis_jpeg_status_for(errors.code);
        goto done;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = VIS_JPEG_MAX_MEMORY;
    progress.pub.progress_monitor = vis_jpeg_progress_monitor;
    cinfo.progress = &progress.pub;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    info->full_width = cinfo.image_width;
    info->full_height = cinfo.image_height;
    info->file_bit_depth = (uint32_t)cinfo.data_precision;
    info->color_type = (uint32_t)cinfo.jpeg_color_space;
    info->interlaced = cinfo.progressive_mode ? 1 : 0;
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cinfo.jpeg_color_space == JCS_GRAYSCALE) cinfo.out_color_space = JCS_GRAYSCALE;
    else if (cmyk) cinfo.out_color_space = JCS_CMYK;
    else cinfo.out_color_space = JCS_RGB;
    cinfo.scale_num = 1;
    cinfo.scale_denom = scale_denom;
    jpeg_calc_output_dimensions(&cinfo);
    info->width = cinfo.output_width;
    info->height = cinfo.output_height;
    info->channels = cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3;
    info->bit_depth = 8;
    if (out != NULL) {
        size_t row_bytes = (size_t)info->width * info->channels;
        if (info->height != 0 && row_bytes > out_size / info->height) {
            vis_copy_message(message, capacity, "output buffer too small for the image");
            status = VIS_ERR_BUFFER;
            goto done;
        }
        if (cmyk) {
            cmyk_row = (uint8_t *)malloc((size_t)info->width * 4);
            if (cmyk_row == NULL) {
                vis_copy_message(message, capacity, "out of memory for a CMYK row");
                status = VIS_ERR_MEMORY;
                goto done;
            }
        }
        jpeg_start_decompress(&cinfo);
        while (cinfo.output_scanline < cinfo.output_height) {
            uint8_t *row = out + (size_t)cinfo.output_scanline * row_bytes;
            JSAMPROW target = cmyk ? cmyk_row : row;
            if (jpeg_read_scanlines(&cinfo, &target, 1) != 1) {
                vis_copy_message(message, capacity, "libjpeg returned no scanline");
                status = VIS_ERR_CORRUPT;
                goto done;
            }
            if (cmyk) vis_cmyk_row_to_rgb(cmyk_row, row, info->width, cinfo.saw_Adobe_marker);
        }
        jpeg_finish_decompress(&cinfo);
    }
done:
    info->warnings = errors.warnings;
    free(cmyk_row);
    jpeg_destroy_decompress(&cinfo);
    return status;
}

vis_status vis_jpeg_probe(const uint8_t *data, size_t size, unsigned scale_denom,
                          vis_image_info *info, char *message, size_t message_capacity) {
    return vis_jpeg_run(data, size, scale_denom, 1, NULL, 0, info, message, message_capacity);
}

vis_status vis_jpeg_decode(const uint8_t *data, size_t size, unsigned scale_denom,
                           int allow_truncated, uint8_t *out, size_t out_size,
                           vis_image_info *info, char *message, size_t message_capacity) {
    if (out == NULL) {
        vis_copy_message(message, message_capacity, "no output buffer");
        return VIS_ERR_BUFFER;
    }
    return vis_jpeg_run(data, size, scale_denom, allow_truncated, out, out_size, info,
                        message, message_capacity);
}
