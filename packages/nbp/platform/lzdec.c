/*
 * Decoder of the image's LZ format (src/cli/lz.ts) with every length
 * checked: for the second stage, which arrives over the network (the stub's
 * assembly decoder trusts the file it was loaded with).
 */
#include "nbp.h"

/* Decodes src[0, n) into dst (capacity cap). Returns the bytes written, or -1 on a malformed stream. */
long lz_decode_checked(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap) {
    uint32_t i = 0, o = 0;
    while (i < n) {
        uint32_t t = src[i++], lits = t >> 4, ml = t & 15, b;
        if (lits == 15) do { if (i >= n) return -1; b = src[i++]; lits += b; } while (b == 255);
        if (lits > n - i || lits > cap - o) return -1;
        for (uint32_t k = 0; k < lits; k++) dst[o++] = src[i++];
        if (i >= n) break;
        if (n - i < 2) return -1;
        uint32_t off = src[i] | ((uint32_t)src[i + 1] << 8);
        i += 2;
        if (ml == 15) do { if (i >= n) return -1; b = src[i++]; ml += b; } while (b == 255);
        ml += 4;
        if (off == 0 || off > o || ml > cap - o) return -1;
        for (uint32_t k = 0; k < ml; k++, o++) dst[o] = dst[o - off];
    }
    return (long)o;
}
