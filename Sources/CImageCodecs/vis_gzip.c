/* Whole-buffer gzip decompression (see include/vis_gzip.h). */
#include "vis_gzip.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

static void set_message(char *message, size_t capacity, const char *text) {
    if (message && capacity > 0) snprintf(message, capacity, "%s", text ? text : "");
}

vis_status vis_gunzip(const uint8_t *data, size_t size, uint8_t *out, size_t out_capacity,
                      size_t *out_size, char *message, size_t message_capacity) {
    if (!data || !out_size || (!out && out_capacity > 0)) {
        set_message(message, message_capacity, "invalid arguments");
        return VIS_ERR_BUFFER;
    }
    *out_size = 0;
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 16 + MAX_WBITS: a gzip wrapper, its CRC-32 and length checked by zlib. */
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
        set_message(message, message_capacity, "zlib could not start");
        return VIS_ERR_MEMORY;
    }
    const uint8_t *next = data;
    size_t left = size;
    size_t written = 0;
    vis_status status = VIS_OK;
    for (;;) {
        /* zlib counts in uInt: feed and drain at most 1 GiB at a time. */
        if (stream.avail_in == 0 && left > 0) {
            uInt n = left > (1u << 30) ? (1u << 30) : (uInt)left;
            stream.next_in = (Bytef *)next;
            stream.avail_in = n;
            next += n;
            left -= n;
        }
        size_t room = out_capacity - written;
        uInt chunk = room > (1u << 30) ? (1u << 30) : (uInt)room;
        uint8_t spare;
        stream.next_out = chunk > 0 ? out + written : &spare;
        stream.avail_out = chunk > 0 ? chunk : 1;
        int rc = inflate(&stream, Z_NO_FLUSH);
        size_t produced = (chunk > 0 ? chunk : 1) - stream.avail_out;
        if (chunk == 0 && produced > 0) {
            set_message(message, message_capacity, "inflates to more bytes than expected");
            status = VIS_ERR_BUFFER;
            break;
        }
        written += produced;
        if (rc == Z_STREAM_END) {
            /* Concatenated members (as gzip allows): go on with the next one. */
            if (stream.avail_in == 0 && left == 0) break;
            if (inflateReset(&stream) != Z_OK) { status = VIS_ERR_CORRUPT; break; }
            continue;
        }
        if (rc == Z_BUF_ERROR && stream.avail_in == 0 && left == 0) {
            set_message(message, message_capacity, "the gzip stream ends early");
            status = VIS_ERR_TRUNCATED;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            set_message(message, message_capacity, stream.msg ? stream.msg : "invalid gzip data");
            status = rc == Z_MEM_ERROR ? VIS_ERR_MEMORY : VIS_ERR_CORRUPT;
            break;
        }
        if (rc == Z_BUF_ERROR && written == out_capacity) {
            set_message(message, message_capacity, "inflates to more bytes than expected");
            status = VIS_ERR_BUFFER;
            break;
        }
    }
    inflateEnd(&stream);
    if (status == VIS_OK) *out_size = written;
    return status;
}
