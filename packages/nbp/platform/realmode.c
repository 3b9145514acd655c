/*
 * Calls into real mode through the stub's thunk: BIOS interrupts, the PXE
 * API entry point (!PXE or PXENV+), E820; conventional-memory allocation;
 * reboot and power-off. Console input is collected around real-mode calls
 * (console_poll_input), where the BIOS may take COM1 bytes.
 */
#include <string.h>
#include "nbp.h"

typedef void (*thunk_fn)(struct rmcall *);

static uint32_t low_next, low_limit;

uint32_t segoff_linear(uint32_t so) { return ((so >> 16) << 4) + (so & 0xFFFF); }

void realmode_init(void) {
    low_next = (nbp_boot->low_start + 15) & ~15u;
    low_limit = nbp_boot->low_end;
    if (low_limit > 0xA0000 || low_limit < low_next) low_limit = 0x9F000;
}

uint32_t low_free(void) { return low_limit > low_next ? low_limit - low_next : 0; }

uint32_t low_alloc(uint32_t size, uint32_t align) {
    if (align < 16) align = 16;
    uint32_t p = (low_next + align - 1) & ~(align - 1);
    if (size > low_limit || p > low_limit - size) return 0;
    low_next = p + size;
    memset((void *)p, 0, size);
    return p;
}

/*
 * Console input around real-mode calls. A BIOS serial console (SeaBIOS's
 * sercon, active under QEMU -nographic; console redirection on servers)
 * reads COM1 in its timer interrupt into the 15-key BIOS buffer and drops
 * the rest. So: COM1's FIFO is emptied before every call and after every
 * 8th (it fills in 1.4 ms at 115200 baud). Where such a console is present
 * (console_bios_reads_serial), the timer interrupt is held at the PIC
 * during calls: it reaches the BIOS during halt() (FIFO just emptied, and
 * IRQ 4 wakes us at the next byte) or, when the loader is busy and does not
 * halt, during one call every 50 ms, never while keys stream in (a paste;
 * halt() does not sleep then either).
 */
static uint32_t rm_calls;
static double tick_due;

static int before_realmode(void) {
    console_poll_input();
    if (!console_bios_reads_serial()) return -1;
    if (!console_input_streaming()) {
        double now = clock_ms();
        if (now >= tick_due) { tick_due = now + 50; return -1; }
    }
    uint8_t mask = inb(0x21);
    outb(0x21, mask | 0x01);
    return mask;
}

static void after_realmode(int held) {
    if (held >= 0) outb(0x21, (uint8_t)held);
    if (!(++rm_calls & 7)) console_poll_input();
}

void rm_int(uint8_t vector, struct rmcall *r) {
    r->kind = RM_INT;
    r->target_off = vector;
    r->nwords = 0;
    int held = before_realmode();
    ((thunk_fn)nbp_boot->thunk)(r);
    after_realmode(held);
}

void rm_far(uint16_t seg, uint16_t off, struct rmcall *r) {
    r->kind = RM_FAR;
    r->target_seg = seg;
    r->target_off = off;
    if (((uint32_t)seg << 16 | off) == nbp_boot->idle) {
        /* halt(): wait for an interrupt, unless keys are streaming in. */
        console_poll_input();
        if (console_input_streaming()) return;
        tick_due = clock_ms() + 50;
        ((thunk_fn)nbp_boot->thunk)(r);
        return;
    }
    int held = before_realmode();
    ((thunk_fn)nbp_boot->thunk)(r);
    after_realmode(held);
}

static int use_pxenv;

int pxe_entry_is_bang(void) { return nbp_boot->bangpxe != 0 && !use_pxenv; }

/* Chooses the entry point pxe_call uses: 1 = PXENV+, 0 = !PXE. Fails (-1) if absent. */
int pxe_select_entry(int pxenv) {
    if (pxenv ? !nbp_boot->pxenv : !nbp_boot->bangpxe) return -1;
    use_pxenv = pxenv;
    return 0;
}

/* PXE API call with the parameter block at `block` (below 1 MiB). Returns AX. */
int pxe_call(uint16_t opcode, uint32_t block) {
    struct rmcall r;
    memset(&r, 0, sizeof r);
    uint16_t seg = (uint16_t)(block >> 4), off = (uint16_t)(block & 15);
    if (pxe_entry_is_bang()) {
        /* !PXE: far call EntryPointSP with (opcode, offset, segment) on the stack. */
        SEGOFF16_t ep = ((const struct s_PXE *)segoff_linear(nbp_boot->bangpxe))->EntryPointSP;
        r.nwords = 3;
        r.words[0] = opcode;
        r.words[1] = off;
        r.words[2] = seg;
        r.es = seg;
        r.edi = off;
        r.ebx = opcode;
        rm_far(ep.segment, ep.offset, &r);
    } else if (nbp_boot->pxenv) {
        /* PXENV+: far call RMEntry with ES:DI -> block, BX = opcode. */
        SEGOFF16_t ep = ((const struct s_PXENV *)segoff_linear(nbp_boot->pxenv))->RMEntry;
        r.nwords = 0;
        r.es = seg;
        r.edi = off;
        r.ebx = opcode;
        rm_far(ep.segment, ep.offset, &r);
    } else {
        return -1;
    }
    return (int)(r.eax & 0xFFFF);
}

int e820_read(uint8_t *out, int max) {
    static uint32_t buf;
    if (!buf) buf = low_alloc(32, 16);
    struct rmcall r;
    uint32_t cont = 0;
    int n = 0;
    do {
        memset(&r, 0, sizeof r);
        memset((void *)buf, 0, 24);
        ((uint8_t *)buf)[20] = 1;
        r.eax = 0xE820;
        r.edx = 0x534D4150;
        r.ecx = 24;
        r.ebx = cont;
        r.es = (uint16_t)(buf >> 4);
        r.edi = buf & 15;
        rm_int(0x15, &r);
        if ((r.eflags & 1) || r.eax != 0x534D4150) break;
        memcpy(out + n * 24, (void *)buf, 24);
        if (r.ecx < 24) ((uint32_t *)(out + n * 24))[5] = 1;
        n++;
        cont = r.ebx;
    } while (cont && n < max);
    return n;
}

void nbp_reboot(void) {
    console_puts("\n[nbp] rebooting\n");
    outb(0xCF9, 0x02);
    outb(0xCF9, 0x06);
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++) {}
    outb(0x64, 0xFE);
    /* Last resort: a triple fault. */
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) none = {0, 0};
    __asm__ volatile("lidt %0; int $3" ::"m"(none));
    for (;;) __asm__ volatile("hlt");
}

void nbp_poweroff(void) {
    console_puts("\n[nbp] powering off\n");
    outw(0x604, 0x2000);    /* QEMU PIIX4/ICH9 ACPI PM1a_CNT: SLP_EN | S5 */
    outw(0xB004, 0x2000);   /* older QEMU/Bochs */
    outw(0x4004, 0x3400);   /* VirtualBox */
    /* APM: connect real-mode interface, driver version 1.2, set power state off. */
    struct rmcall r;
    memset(&r, 0, sizeof r); r.eax = 0x5301; rm_int(0x15, &r);
    memset(&r, 0, sizeof r); r.eax = 0x530E; r.ecx = 0x0102; rm_int(0x15, &r);
    memset(&r, 0, sizeof r); r.eax = 0x5307; r.ebx = 1; r.ecx = 3; rm_int(0x15, &r);
    console_puts("[nbp] power-off failed; halted\n");
    for (;;) __asm__ volatile("hlt");
}
