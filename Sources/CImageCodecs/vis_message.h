/* Internal helpers shared by the PNG and JPEG halves of the shim. */
#ifndef VIS_MESSAGE_H
#define VIS_MESSAGE_H
#include <stddef.h>
#include <string.h>

/* Copies `text` into the caller's buffer, always NUL-terminated, truncating if needed. */
static inline void vis_copy_message(char *buffer, size_t capacity, const char *text) {
    if (buffer == NULL || capacity == 0) return;
    if (text == NULL) text = "";
    size_t n = strlen(text);
    if (n >= capacity) n = capacity - 1;
    memcpy(buffer, text, n);
    buffer[n] = '\0';
}

/* 1 on little-endian hosts. */
static inline int vis_host_is_little_endian(void) {
    const unsigned one = 1;
    return *(const unsigned char *)&one == 1;
}
#endif
