#ifndef KHABAR_CZLIB_SHIM_H
#define KHABAR_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; Swift needs a function. */
static inline int khabar_inflate_init2(z_stream *s, int window_bits) {
    return inflateInit2(s, window_bits);
}
#endif
