#ifndef VIS_CODECS_H
#define VIS_CODECS_H
/* Placeholder; the real shim API lands with the codecs work. */
int vis_codecs_version(void);
#endif
