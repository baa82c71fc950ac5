#include "vis_codecs.h"
int vis_codecs_version(void) { return 1; }
