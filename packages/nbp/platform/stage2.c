/*
 * The second stage: when pxehttp.0 carries no loader (the build's default;
 * see src/cli/image.ts), the loader comes as a second file beside it on the
 * TFTP server, named like the boot file with its extension replaced by
 * ".ldr" (pxehttp.0 -> pxehttp.ldr). Format: a 16-byte header
 * (magic "NBPL", the build id of the engine it was built for, loader bytes
 * with the NUL, compressed bytes), then the LZ stream.
 */
#include <string.h>
#include "nbp.h"

#define LDR_MAGIC 0x4C50424Eu   /* "NBPL" */
#define LDR_HDR 16
/* The compressed file is read this far above the loader's place, then decoded down into it. */
#define STAGE2_GAP (16u << 20)

static char name[128];

/* The loader file's name for the boot file `bootfile` (directory dropped: tftp_read adds it). */
static const char *ldr_name(const char *bootfile) {
    const char *base = strrchr(bootfile, '/');
    base = base ? base + 1 : bootfile;
    if (!*base) base = "pxehttp.0";
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) n = (size_t)(dot - base);
    if (n > sizeof name - 5) n = sizeof name - 5;
    memcpy(name, base, n);
    memcpy(name + n, ".ldr", 5);
    return name;
}

/* Fetches and decodes the loader to `dst` (below `end`, the end of usable memory there). Halts with a message on failure. */
uint32_t stage2_load(uint32_t dst, uint32_t end) {
    const struct nbp_hdr *h = (const struct nbp_hdr *)NBP_HDR_ADDR;
    if (tftp_init() != 0) {
        console_puts("[nbp] this pxehttp.0 has no loader inside, and the PXE firmware gave no TFTP server to fetch it from; halted\n");
        for (;;) __asm__ volatile("hlt");
    }
    const char *file = ldr_name(tftp_boot_file());
    uint32_t tmp = dst + STAGE2_GAP;
    uint32_t cap = end > tmp ? end - tmp : 0, len = 0;
    uint8_t *buf = (uint8_t *)tmp;
    uint32_t ip = tftp_server();
    console_printf("pxehttp.0: loading the loader %s%s from %u.%u.%u.%u by TFTP\n", tftp_boot_dir(), file,
                   ip & 255, (ip >> 8) & 255, (ip >> 16) & 255, ip >> 24);
    int rc = tftp_read(file, &buf, &cap, &len, 0);
    const char *why = 0;
    uint32_t *w = (uint32_t *)tmp;
    if (rc == 0x3B) why = "file not found on the TFTP server (serve it beside pxehttp.0)";
    else if (rc == TFTP_ERR_TOO_BIG) why = "larger than the memory available for it";
    else if (rc) why = "TFTP transfer failed";
    else if (len < LDR_HDR || w[0] != LDR_MAGIC) why = "not a pxehttp loader file";
    else if (w[1] != h->loader_id) why = "built for a different pxehttp.0 (rebuild and serve both files together)";
    else if (w[3] != len - LDR_HDR) why = "truncated or too long (size differs from its header)";
    else if (w[2] == 0 || w[2] > STAGE2_GAP) why = "loader size out of range";
    else if (lz_decode_checked(buf + LDR_HDR, w[3], (uint8_t *)dst, w[2]) != (long)w[2] || ((uint8_t *)dst)[w[2] - 1] != 0) why = "corrupt (does not decompress to its size)";
    if (why) {
        console_printf("[nbp] loader %s%s: %s", tftp_boot_dir(), file, why);
        if (rc && rc != TFTP_ERR_TOO_BIG) console_printf(" (PXE status %#x)", rc);
        console_puts("; halted\n");
        for (;;) __asm__ volatile("hlt");
    }
    return w[2] - 1;
}
