/*
 * vis_memory: how the C allocator treats the large pixel buffers. No stable API: for the
 * ImageCodecs Swift target only.
 */
#ifndef VIS_MEMORY_H
#define VIS_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* glibc: blocks under `mmap_threshold` bytes come from the heap (freed ones are reused
 * without new page faults) and up to `trim_threshold` bytes of free heap are kept. Returns
 * 1 if set, 0 where the allocator has no such settings. */
int vis_memory_reuse_blocks(size_t mmap_threshold, size_t trim_threshold);

#ifdef __cplusplus
}
#endif

#endif
