/*
 * SHA-256 block compression (FIPS 180-4 §6.2.2), the native accelerator
 * behind nbp.sha256Blocks: whole 64-byte blocks only; padding and the
 * length are the TypeScript caller's job (@pxe/http Sha256).
 */
#include "nbp.h"

static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* FIPS 180-4 §4.1.2: the six logical functions (Ch and Maj in forms with
 * one operation fewer, equal bit for bit). */
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x) (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22))
#define BSIG1(x) (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25))
#define SSIG0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))

/*
 * Round t + i. Instead of shifting the eight working variables down one
 * place every round, the caller names them in rotated order, so a round
 * writes only d and h: under QEMU's TCG every move costs as much as real
 * work, and this form hashes about a third faster than the textbook loop.
 */
#define ROUND(a, b, c, d, e, f, g, h, i)                                      \
    do {                                                                      \
        uint32_t t1 = (h) + BSIG1(e) + CH(e, f, g) + k256[t + (i)] + w[t + (i)]; \
        (d) += t1;                                                            \
        (h) = t1 + BSIG0(a) + MAJ(a, b, c);                                   \
    } while (0)

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    uint32_t w[64];
    for (; nblocks > 0; nblocks--, p += 64) {
        /* 1. The message schedule: 16 big-endian words, then 48 derived ones. */
        for (int t = 0; t < 16; t++)
            w[t] = ((uint32_t)p[4 * t] << 24) | ((uint32_t)p[4 * t + 1] << 16) | ((uint32_t)p[4 * t + 2] << 8) | p[4 * t + 3];
        for (int t = 16; t < 64; t++) w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
        /* 2-3. Working variables from the previous hash value, 64 rounds, eight at a time. */
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t += 8) {
            ROUND(a, b, c, d, e, f, g, hh, 0);
            ROUND(hh, a, b, c, d, e, f, g, 1);
            ROUND(g, hh, a, b, c, d, e, f, 2);
            ROUND(f, g, hh, a, b, c, d, e, 3);
            ROUND(e, f, g, hh, a, b, c, d, 4);
            ROUND(d, e, f, g, hh, a, b, c, 5);
            ROUND(c, d, e, f, g, hh, a, b, 6);
            ROUND(b, c, d, e, f, g, hh, a, 7);
        }
        /* 4. The intermediate hash value. */
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}
