/*
 * Console: VGA text mode (80x25 at 0xB8000) and COM1 (16550, 115200 8N1) for
 * output; COM1 (read directly) and the BIOS keyboard buffer for input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "nbp.h"

#define COM1 0x3F8
#define VGA ((volatile uint16_t *)0xB8000)
#define COLS 80
#define ROWS 25
#define ATTR 0x0700

static int vga_x, vga_y;
static int serial_ok;

static void vga_cursor(void) {
    uint16_t pos = (uint16_t)(vga_y * COLS + vga_x);
    outb(0x3D4, 0x0F); outb(0x3D5, pos & 0xFF);
    outb(0x3D4, 0x0E); outb(0x3D5, pos >> 8);
}

static void vga_scroll(void) {
    memmove((void *)VGA, (const void *)(VGA + COLS), (ROWS - 1) * COLS * 2);
    for (int i = 0; i < COLS; i++) VGA[(ROWS - 1) * COLS + i] = ATTR | ' ';
    vga_y = ROWS - 1;
}

static void vga_putc(uint8_t c) {
    if (c == '\n') { vga_x = 0; vga_y++; }
    else if (c == '\r') vga_x = 0;
    else if (c == '\b') { if (vga_x > 0) vga_x--; }
    else if (c == '\t') { vga_x = (vga_x + 8) & ~7; }
    else if (c == 0x1B || c < 0x20) return;
    else { VGA[vga_y * COLS + vga_x] = ATTR | c; vga_x++; }
    if (vga_x >= COLS) { vga_x = 0; vga_y++; }
    if (vga_y >= ROWS) vga_scroll();
}

static void serial_drain(void);

/* Waits for room in the transmitter; input that arrives meanwhile goes to
   the ring (at 115200 baud the 16-byte receive FIFO fills in 1.4 ms, less
   than a line of output takes). */
static void serial_putc(uint8_t c) {
    if (!serial_ok) return;
    for (int i = 0; i < 100000; i++) {
        uint8_t lsr = inb(COM1 + 5);
        if (lsr & 1) serial_drain();
        if (lsr & 0x20) break;
    }
    outb(COM1, c);
}

/* VGA does not understand ANSI escapes: interpret the three the console's
   line editor and progress bar use (ESC[K erase to end of line, ESC[nC
   cursor right, ESC[nD cursor left) and drop every other CSI sequence. */
static int vga_esc;
static int vga_esc_n;

static void vga_csi(uint8_t final) {
    int n = vga_esc_n;
    switch (final) {
    case 'K': {
        int from = n == 0 ? vga_x : 0, to = n == 1 ? vga_x + 1 : COLS;
        for (int i = from; i < to && i < COLS; i++) VGA[vga_y * COLS + i] = ATTR | ' ';
        break;
    }
    case 'C': vga_x += n ? n : 1; if (vga_x > COLS - 1) vga_x = COLS - 1; break;
    case 'D': vga_x -= n ? n : 1; if (vga_x < 0) vga_x = 0; break;
    default: break;
    }
}
/* Nor UTF-8: decode it and show a close ASCII character (code page 437 font). */
static uint32_t utf8_cp;
static int utf8_left;

static uint8_t vga_substitute(uint32_t cp) {
    switch (cp) {
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return '-';
    case 0x2018: case 0x2019: case 0x2032: return '\'';
    case 0x201C: case 0x201D: return '"';
    case 0x2026: return '.';
    case 0x00A0: return ' ';
    case 0x00B7: case 0x2022: return 0xF9;   /* CP437 bullet */
    case 0x00B0: return 0xF8;                /* degree */
    case 0x2588: return 0xDB;                /* full block */
    case 0x2591: return 0xB0;
    case 0x2592: return 0xB1;
    case 0x2593: return 0xB2;
    default: return '?';
    }
}

static void serial_wake_init(void);

void console_init(void) {
    outb(COM1 + 1, 0x00);  /* no interrupts */
    outb(COM1 + 3, 0x80);  /* DLAB */
    outb(COM1 + 0, 0x01);  /* 115200 */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);  /* 8N1 */
    outb(COM1 + 2, 0xC7);  /* FIFO on, cleared */
    outb(COM1 + 4, 0x03);  /* DTR, RTS */
    serial_ok = inb(COM1 + 5) != 0xFF;
    serial_wake_init();
    for (int i = 0; i < COLS * ROWS; i++) VGA[i] = ATTR | ' ';
    vga_x = vga_y = 0;
    vga_cursor();
}

void console_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c == '\n') serial_putc('\r');
        serial_putc(c);
        if (vga_esc == 1) { vga_esc = c == '[' ? 2 : 0; vga_esc_n = 0; continue; }
        if (vga_esc == 2) {
            if (c >= '0' && c <= '9') { if (vga_esc_n < 1000) vga_esc_n = vga_esc_n * 10 + (c - '0'); }
            else if (c >= 0x40 && c <= 0x7E) { vga_csi(c); vga_esc = 0; }
            continue;
        }
        if (c == 0x1B) { vga_esc = 1; continue; }
        if (utf8_left > 0 && (c & 0xC0) == 0x80) {
            utf8_cp = (utf8_cp << 6) | (c & 0x3F);
            if (--utf8_left == 0) vga_putc(vga_substitute(utf8_cp));
            continue;
        }
        utf8_left = 0;
        if (c >= 0xC0 && c < 0xF8) {
            utf8_left = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
            utf8_cp = c & (0x3F >> utf8_left);
            continue;
        }
        if (c >= 0x80) { vga_putc('?'); continue; }
        vga_putc(c);
    }
    vga_cursor();
}

void console_puts(const char *s) { console_write(s, strlen(s)); }

void console_printf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
    if (n > 0) console_write(buf, (size_t)n);
}

/*
 * Input. Every byte typed reaches one ring buffer of our own, in arrival
 * order, from two sources:
 *  - COM1's receive FIFO, read directly: whenever the JS console asks for
 *    a key, while output waits for the transmitter, before every call into
 *    real mode and after every 8th (console_poll_input from realmode.c);
 *  - the BIOS keyboard buffer in the BIOS data area (PC keyboard; and COM1
 *    bytes that a BIOS serial console such as SeaBIOS's sercon, active
 *    under QEMU -nographic, took from the UART in its timer interrupt while
 *    we were in real mode). It is read straight from memory after each
 *    real-mode call, before the UART, so bytes keep their order.
 * The UART raises IRQ 4 on its first received byte, so halt() (hlt in real
 * mode) wakes up at once for a key instead of at the next timer tick,
 * before the 16-byte FIFO can overflow.
 */
#define RING_SIZE 8192                      /* a power of two */
static uint8_t ring[RING_SIZE];
static uint32_t ring_head, ring_tail;       /* read at head, written at tail */
static uint32_t ring_dropped;

static void ring_put(uint8_t c) {
    if (ring_tail - ring_head >= RING_SIZE) { ring_dropped++; return; }
    ring[ring_tail++ & (RING_SIZE - 1)] = c;
}

static void ring_put_seq(const char *seq) {
    while (*seq) ring_put((uint8_t)*seq++);
}

static void bios_keys_drain(void);

/* The BIOS buffer first: what it holds arrived before what the FIFO holds. */
static uint64_t last_rx_tsc;

static void serial_drain(void) {
    bios_keys_drain();
    if (!serial_ok || !(inb(COM1 + 5) & 1)) return;
    for (int i = 0; i < 64 && (inb(COM1 + 5) & 1); i++) ring_put(inb(COM1));
    last_rx_tsc = rdtsc();
}

/* A BIOS serial console hooks INT 10h to mirror the screen: the vector
   then points into the system BIOS (F000h) instead of a video ROM (C000h). */
static int bios_serial_console;
int console_bios_reads_serial(void) { return bios_serial_console; }

/* True for 250 ms after a byte came in on COM1 (one rdtsc). */
int console_input_streaming(void) {
    static uint64_t window;
    if (!last_rx_tsc) return 0;
    if (!window) window = (uint64_t)(clock_tsc_per_ms() * 250.0);
    return rdtsc() - last_rx_tsc < window;
}

/* PC scan codes of keys without ASCII, as a serial terminal would send them. */
static void map_scan(uint8_t scan) {
    switch (scan) {
    case 0x48: ring_put_seq("\x1b[A"); break;   /* up */
    case 0x50: ring_put_seq("\x1b[B"); break;   /* down */
    case 0x4D: ring_put_seq("\x1b[C"); break;   /* right */
    case 0x4B: ring_put_seq("\x1b[D"); break;   /* left */
    case 0x47: ring_put_seq("\x1b[H"); break;   /* home */
    case 0x4F: ring_put_seq("\x1b[F"); break;   /* end */
    case 0x53: ring_put_seq("\x1b[3~"); break;  /* delete */
    case 0x49: ring_put_seq("\x1b[5~"); break;  /* page up */
    case 0x51: ring_put_seq("\x1b[6~"); break;  /* page down */
    default: break;
    }
}

/* The BIOS keyboard buffer: a ring of (scan << 8 | ascii) words in segment
   40h, offsets at 40:1A (head), 40:1C (tail), 40:80 (start), 40:82 (end). */
#define BDA ((volatile uint8_t *)0x400)
#define BDA16(off) (*(volatile uint16_t *)(BDA + (off)))

static void bios_keys_drain(void) {
    uint16_t start = BDA16(0x80), end = BDA16(0x82);
    if (start < 0x1E || end <= start || end > 0x200 || ((end - start) & 1)) { start = 0x1E; end = 0x3E; }
    uint16_t head = BDA16(0x1A), tail = BDA16(0x1C);
    if (head < start || head >= end || tail < start || tail >= end) return;
    while (head != tail) {
        uint16_t key = BDA16(head);
        uint8_t ascii = key & 0xFF, scan = key >> 8;
        if (ascii && ascii != 0xE0) ring_put(ascii);
        else map_scan(scan);
        head += 2;
        if (head >= end) head = start;
    }
    BDA16(0x1A) = head;
}

void console_poll_input(void) { serial_drain(); }

/* Lets COM1 interrupt a halt: receive-data interrupt on, OUT2 (gates the
   UART's IRQ line on PCs), IRQ 4 unmasked at the PIC. The BIOS's handler
   for it acknowledges the PIC; the data is left for us. Only when the BIOS
   has a handler for IRQ 4 (vector 0Ch in the real-mode IVT). */
static void serial_wake_init(void) {
    bios_serial_console = serial_ok && (*(volatile uint32_t *)(0x10 * 4) >> 16) >= 0xF000;
    if (!serial_ok || *(volatile uint32_t *)(0x0C * 4) == 0) return;
    outb(COM1 + 2, 0x07);                   /* FIFO on, cleared, interrupt at 1 byte */
    outb(COM1 + 4, 0x0B);                   /* DTR, RTS, OUT2 */
    outb(COM1 + 1, 0x01);                   /* interrupt on received data */
    outb(0x21, inb(0x21) & ~0x10);          /* unmask IRQ 4 */
}

static double last_kbd_poll;

int console_read_key(void) {
    if (ring_head == ring_tail) {
        serial_drain();
        /* A keyboard whose BIOS fills its buffer only when asked (INT 16h
           AH=01h, two mode switches): ask at most every 10 ms, then read
           the buffer; not while serial input streams in (the BIOS could
           take it, see realmode.c). */
        double now = clock_ms();
        if (ring_head == ring_tail && now - last_kbd_poll >= 10 && !console_input_streaming()) {
            last_kbd_poll = now;
            struct rmcall r = {0};
            r.eax = 0x0100;
            rm_int(0x16, &r);
            serial_drain();
        }
    }
    if (ring_head == ring_tail) return -1;
    return ring[ring_head++ & (RING_SIZE - 1)];
}

uint32_t console_input_dropped(void) { return ring_dropped; }
