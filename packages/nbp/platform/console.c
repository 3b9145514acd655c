/*
 * Console: VGA text mode (80x25 at 0xB8000) and COM1 (16550, 115200 8N1) for
 * output; COM1 and the BIOS keyboard (INT 16h through the thunk) for input.
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
static double last_kbd_poll;

/* Keys that came as several bytes (arrows as ANSI escapes), handed out one by one. */
static uint8_t pending[8];
static int pending_n, pending_i;

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

static void serial_putc(uint8_t c) {
    if (!serial_ok) return;
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++) {}
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

void console_init(void) {
    outb(COM1 + 1, 0x00);  /* no interrupts */
    outb(COM1 + 3, 0x80);  /* DLAB */
    outb(COM1 + 0, 0x01);  /* 115200 */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);  /* 8N1 */
    outb(COM1 + 2, 0xC7);  /* FIFO on, cleared */
    outb(COM1 + 4, 0x03);  /* DTR, RTS */
    serial_ok = inb(COM1 + 5) != 0xFF;
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

static void push_seq(const char *seq) {
    pending_n = (int)strlen(seq);
    memcpy(pending, seq, (size_t)pending_n);
    pending_i = 0;
}

/* PC scan codes of keys without ASCII, as a serial terminal would send them. */
static void map_scan(uint8_t scan) {
    switch (scan) {
    case 0x48: push_seq("\x1b[A"); break;   /* up */
    case 0x50: push_seq("\x1b[B"); break;   /* down */
    case 0x4D: push_seq("\x1b[C"); break;   /* right */
    case 0x4B: push_seq("\x1b[D"); break;   /* left */
    case 0x47: push_seq("\x1b[H"); break;   /* home */
    case 0x4F: push_seq("\x1b[F"); break;   /* end */
    case 0x53: push_seq("\x1b[3~"); break;  /* delete */
    case 0x49: push_seq("\x1b[5~"); break;  /* page up */
    case 0x51: push_seq("\x1b[6~"); break;  /* page down */
    default: break;
    }
}

int console_read_key(void) {
    if (pending_i < pending_n) return pending[pending_i++];
    if (serial_ok && (inb(COM1 + 5) & 1)) return inb(COM1);
    /* The keyboard costs two mode switches: ask the BIOS at most every 10 ms. */
    double now = clock_ms();
    if (now - last_kbd_poll < 10) return -1;
    last_kbd_poll = now;
    struct rmcall r = {0};
    r.eax = 0x0100;
    rm_int(0x16, &r);
    if (r.eflags & 0x40) return -1;  /* ZF: no key */
    memset(&r, 0, sizeof r);
    r.eax = 0x0000;
    rm_int(0x16, &r);
    uint8_t ascii = r.eax & 0xFF, scan = (r.eax >> 8) & 0xFF;
    if (ascii && ascii != 0xE0) return ascii;
    map_scan(scan);
    if (pending_i < pending_n) return pending[pending_i++];
    return -1;
}
