/*
 * The kernel hand-off (host API nbp.boot): checks the copy list and the
 * entry block, moves both to conventional memory and calls the stub's
 * resident trampoline (stub.asm boot_tramp), which copies every piece into
 * place and enters the kernel. What the pieces are is decided in TypeScript.
 */
#include <string.h>
#include "nbp.h"

#define LOW_LIMIT 0x100000u

typedef void (*tramp_fn)(const struct boot_copy *, uint32_t, const struct boot_entry *) __attribute__((noreturn));

static int overlaps(uint64_t a, uint64_t al, uint64_t b, uint64_t bl) { return al && bl && a < b + bl && b < a + al; }

/* NULL when the list can be carried out safely, else why not. Pure: host-tested (test/fixtures/boot-check.c). */
const char *boot_check(const struct boot_copy *c, uint32_t n, const struct boot_entry *e) {
    if (e->kind != BOOT_PROTECTED32 && e->kind != BOOT_LONG64) return "entry kind must be 1 (protected32) or 2 (long64)";
    if (e->kind == BOOT_PROTECTED32 && e->ip_hi) return "a 32-bit entry point must be below 4 GiB";
    if (e->kind == BOOT_LONG64 && (e->cr3 & 0xFFF)) return "cr3 must be page-aligned";
    for (uint32_t i = 0; i < n; i++) {
        uint64_t end = (uint64_t)c[i].dest + c[i].len + c[i].zero;
        if (end > 0x100000000ull) return "a piece ends beyond 4 GiB";
        if ((uint64_t)c[i].src + c[i].len > 0x100000000ull) return "a source ends beyond 4 GiB";
        if ((c[i].len || c[i].zero) && c[i].dest < LOW_LIMIT) return "a piece lies below 1 MiB (the trampoline's memory)";
        for (uint32_t j = 0; j < n; j++) {
            /* Copies run in order: a destination must not hit its own or a later piece's source. */
            if (j >= i && overlaps(c[i].dest, c[i].len + (uint64_t)c[i].zero, c[j].src, c[j].len) && !(j == i && c[i].dest == c[i].src && !c[i].zero))
                return "a destination overlaps the source of its own or a later piece";
            if (j > i && overlaps(c[i].dest, c[i].len + (uint64_t)c[i].zero, c[j].dest, c[j].len + (uint64_t)c[j].zero))
                return "two pieces' destinations overlap";
        }
    }
    return NULL;
}

void boot_start(const struct boot_copy *c, uint32_t n, const struct boot_entry *e) {
    struct boot_copy *lc = (struct boot_copy *)low_alloc(n * sizeof *lc + 16, 16);
    struct boot_entry *le = (struct boot_entry *)low_alloc(sizeof *le, 16);
    if (!lc || !le) {
        console_puts("[nbp] boot: no conventional memory left for the copy list; halted\n");
        for (;;) __asm__ volatile("hlt");
    }
    memcpy(lc, c, n * sizeof *lc);
    memcpy(le, e, sizeof *le);
    __asm__ volatile("cli");
    ((tramp_fn)nbp_boot->boot)(lc, n, le);
}
