/*
 * pxehttp.0 engine: the C platform under the embedded JavaScript engine.
 * Shared declarations of the platform's small modules.
 */
#ifndef NBP_H
#define NBP_H

#include <stddef.h>
#include <stdint.h>
#include "pxe_api.h"

/* Filled by the real-mode stub (platform/stub.asm, label `bootinfo`). */
struct bootinfo {
    uint32_t magic;       /* "INFO" */
    uint32_t method;      /* 1 = !PXE at SS:SP+4, 2 = PXENV+ at ES:BX, 3 = INT 1Ah */
    uint32_t bangpxe;     /* seg:off of !PXE, 0 if none */
    uint32_t pxenv;       /* seg:off of PXENV+, 0 if none */
    uint32_t thunk;       /* void rm_call(struct rmcall *) */
    uint32_t gdt;         /* linear address of the stub's GDT */
    uint32_t low_start;   /* first free byte of conventional memory */
    uint32_t low_end;     /* top of conventional memory */
    uint32_t js_addr;     /* loader source, NUL-terminated */
    uint32_t js_len;
    uint32_t entry_sssp;
    uint32_t entry_esbx;
    uint32_t image_len;
    uint32_t idle;        /* seg:off of `hlt; retf` (real mode) */
    uint32_t boot;        /* void boot_tramp(const struct boot_copy *, uint32_t n, const struct boot_entry *) */
};

/* The kernel hand-off (stub.asm boot_tramp; word layout defined in
   src/handoff-layout.ts, checked equal by test/handoff-layout.test.ts). */
struct boot_copy {
    uint32_t dest, src, len, zero;   /* copy len bytes src -> dest, then zero `zero` bytes */
};
struct boot_entry {
    uint32_t kind;                   /* BOOT_PROTECTED32 or BOOT_LONG64 */
    uint32_t ip_lo, ip_hi;           /* EIP, or RIP (64-bit) */
    uint32_t esp, cr3;
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
};
#define BOOT_PROTECTED32 1
#define BOOT_LONG64 2
#define BOOT_COPY_WORDS 4
#define BOOT_ENTRY_WORDS 12

/* The image header (stub.asm `hdr`, at 0000:7C08), patched by the build (src/cli/image.ts). */
struct nbp_hdr {
    uint32_t magic, engine_clen, engine_len, js_clen, js_len, stub_len;
    uint32_t loader_id;   /* build id the second-stage loader file must carry */
};
#define NBP_HDR_ADDR 0x7C08

/* Register image for one real-mode call (layout fixed by stub.asm). */
struct rmcall {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
    uint16_t ds, es;
    uint16_t target_off, target_seg;
    uint16_t kind;        /* RM_INT or RM_FAR */
    uint16_t nwords;      /* stack words to push before the call */
    uint16_t words[10];
};
#define RM_INT 0
#define RM_FAR 1

extern struct bootinfo *nbp_boot;

/* realmode.c */
void rm_int(uint8_t vector, struct rmcall *r);
void rm_far(uint16_t seg, uint16_t off, struct rmcall *r);
uint32_t low_alloc(uint32_t size, uint32_t align);
uint32_t low_free(void);
int pxe_call(uint16_t opcode, uint32_t block_linear);
int pxe_entry_is_bang(void);
int pxe_select_entry(int pxenv);
uint32_t segoff_linear(uint32_t segoff);
int e820_read(uint8_t *out, int max_entries);
void nbp_reboot(void) __attribute__((noreturn));
void nbp_poweroff(void) __attribute__((noreturn));
void realmode_init(void);

/* console.c */
void console_init(void);
void console_write(const char *s, size_t n);
void console_puts(const char *s);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int console_read_key(void);
void console_poll_input(void);         /* BIOS keyboard buffer + COM1 FIFO -> the input ring */
uint32_t console_input_dropped(void);  /* bytes lost to a full input ring */
int console_input_streaming(void);     /* COM1 input came in the last 250 ms */
int console_bios_reads_serial(void);   /* a BIOS serial console (INT 10h hooked in F000h) may take COM1 input */

/* clock.c */
void clock_init(void);
double clock_ms(void);
double clock_tsc_per_ms(void);
uint64_t rdtsc(void);

/* undi_rx.c: the UNDI ISR receive loop with TCP receive coalescing (nbp.undiReceive).
   `flags` and the state words `st` are @pxe/undi's IsrLoopFlag and
   IsrLoopState (checked equal by test/pxe-api.test.ts). */
int undi_receive(uint8_t *buf, uint32_t cap, int max_frames, int max_calls, int flags, uint32_t max_frame, int32_t *st, uint32_t block);
#define F_START 1
#define F_COALESCE 2
#define F_RESET 4       /* first call after UNDI_OPEN: no frame is half reassembled */
enum {
    ST_PROCESSING, ST_ISR_CALLS, ST_BUSY, ST_TX_DONE, ST_OVERSIZE, ST_PROTO_ERR,
    ST_CALL_LIMIT, ST_FRAMES, ST_MERGED, ST_STATUS, ST_EXIT, UNDI_RX_STATE_WORDS
};

/* sha256.c: FIPS 180-4 compression of `nblocks` 64-byte blocks into h[8] */
void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks);

/* tftp.c: files from the boot server through the firmware's TFTP API */
int tftp_init(void);
int tftp_read(const char *name, uint8_t **buf, uint32_t *cap, uint32_t *len, int grow);
const char *tftp_boot_file(void);
const char *tftp_boot_dir(void);
uint32_t tftp_server(void);
#define TFTP_ERR_NO_PXE (-1)
#define TFTP_ERR_NAME (-2)
#define TFTP_ERR_PROTOCOL (-3)
#define TFTP_ERR_TOO_BIG (-4)

/* stage2.c, lzdec.c */
uint32_t stage2_load(uint32_t dst, uint32_t end);
long lz_decode_checked(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap);

/* boot.c */
const char *boot_check(const struct boot_copy *c, uint32_t n, const struct boot_entry *e);
void boot_start(const struct boot_copy *c, uint32_t n, const struct boot_entry *e) __attribute__((noreturn));

/* heap.c */
void heap_init(uint32_t start, uint32_t end);
uint32_t heap_alloc_high(uint32_t size, uint32_t align);
uint32_t heap_high_mark(void);
int heap_release_high(uint32_t mark);
size_t heap_used(void);
size_t heap_free(void);
uint32_t heap_start(void), heap_end(void);

/* libc glue (sys.c) */
void sys_init(void);
void rtc_init(void);

/* io */
static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0,%1" ::"a"(v), "Nd"(p)); }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0,%1" ::"a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(p)); return v; }

#endif
