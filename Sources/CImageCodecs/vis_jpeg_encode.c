/* JPEG encode through libjpeg-turbo (the gallery's previews), every call behind a setjmp in
 * this frame, in the style of the decoder in vis_jpeg.c. */
#include "vis_codecs.h"
#include "vis_message.h"

#include <stdio.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* libjpeg's error manager extended with our jump target and the caller's buffer. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *message;
    size_t capacity;
} vis_jpeg_encode_errors;

static void vis_jpeg_encode_error_exit(j_common_ptr cinfo) {
    vis_jpeg_encode_errors *e = (vis_jpeg_encode_errors *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    text[0] = '\0';
    (*cinfo->err->format_message)(cinfo, text);
    vis_copy_message(e->message, e->capacity, text);
    longjmp(e->jump, 1);
}

static void vis_jpeg_encode_output_message(j_common_ptr cinfo) { (void)cinfo; /* never print */ }

vis_status vis_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                           int quality, uint8_t **out, size_t *out_size,
                           char *message, size_t message_capacity) {
    struct jpeg_compress_struct cinfo;
    vis_jpeg_encode_errors errors;
    /* jpeg_mem_dest mallocs the output here and grows it: the caller frees it with vis_free
     * on success, this function on failure. Its address is taken, so it lives in memory and
     * keeps libjpeg's last value across the longjmp. */
    unsigned char *target = NULL;
    unsigned long target_size = 0;
    volatile vis_status status = VIS_OK;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&errors, 0, sizeof errors);
    vis_copy_message(message, message_capacity, "");
    if (out == NULL || out_size == NULL) {
        vis_copy_message(message, message_capacity, "no output pointers");
        return VIS_ERR_BUFFER;
    }
    *out = NULL;
    *out_size = 0;
    if (pixels == NULL || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION ||
        height > JPEG_MAX_DIMENSION || (channels != 1 && channels != 3) || quality < 1 || quality > 100) {
        vis_copy_message(message, message_capacity,
                         "JPEG encode needs 1-65500 pixels a side, 1 or 3 channels and quality 1-100");
        return VIS_ERR_BUFFER;
    }
    cinfo.err = jpeg_std_error(&errors.pub);
    errors.pub.error_exit = vis_jpeg_encode_error_exit;
    errors.pub.output_message = vis_jpeg_encode_output_message;
    errors.message = message;
    errors.capacity = message_capacity;
    if (setjmp(errors.jump)) {
        status = VIS_ERR_CORRUPT;
        goto done;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &target, &target_size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = (int)channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t row_bytes = (size_t)width * channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
done:
    jpeg_destroy_compress(&cinfo);
    if (status == VIS_OK) {
        *out = target;
        *out_size = (size_t)target_size;
    } else {
        free(target);
    }
    return status;
}
