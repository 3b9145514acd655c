/*
 * Millisecond clock: the TSC, calibrated once against PIT channel 2.
 */
#include "nbp.h"

static uint64_t tsc0;
static double tsc_per_ms = 1e6;

uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void clock_init(void) {
    /* PIT channel 2, mode 0, 50 ms (59659 ticks of 1.193182 MHz), gate via port 61h. */
    const uint16_t count = 59659;
    uint8_t p61 = inb(0x61);
    outb(0x61, (p61 & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(0x43, 0xB0);                   /* ch2, lobyte/hibyte, mode 0, binary */
    outb(0x42, count & 0xFF);
    outb(0x42, count >> 8);
    uint64_t t0 = rdtsc();
    unsigned long spins = 0;
    while (!(inb(0x61) & 0x20)) {
        if (++spins > 200000000UL) break;
    }
    uint64_t t1 = rdtsc();
    outb(0x61, p61);
    double ms = (double)count * 1000.0 / 1193182.0;
    if (t1 > t0) tsc_per_ms = (double)(t1 - t0) / ms;
    tsc0 = rdtsc();
}

double clock_ms(void) {
    return (double)(rdtsc() - tsc0) / tsc_per_ms;
}

double clock_tsc_per_ms(void) { return tsc_per_ms; }
