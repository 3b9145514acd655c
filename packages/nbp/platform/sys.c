/*
 * What the C library needs from an operating system that is not there:
 * musl's thread pointer (GS -> a static thread block whose `sysinfo` field
 * routes every syscall to nbp_syscall), a handful of syscalls, clock and
 * time-zone functions, abort; plus the IDT that reports CPU exceptions.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "nbp.h"

/* musl 1.2 i386 `struct pthread` offsets used here (checked against
   __errno_location / __uselocale in Debian's libc.a): self 0, sysinfo 16,
   errno 28, locale 96. */
static uint32_t thread_block[256] __attribute__((aligned(64)));
static uint32_t c_locale[16];   /* all categories NULL = the C locale */
static char *empty_env[1];
extern char **__environ;

extern void nbp_sysinfo_entry(void);
extern void nbp_int80_entry(void);
extern uint32_t nbp_exc_table[20];

static uint64_t idt[256];
static struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr;

static uint64_t gate(uint32_t fn) {
    return (uint64_t)(fn & 0xFFFF) | ((uint64_t)0x08 << 16) | ((uint64_t)0x8E00 << 32) |
           ((uint64_t)(fn >> 16) << 48);
}

void sys_init(void) {
    thread_block[0] = (uint32_t)thread_block;
    thread_block[4] = (uint32_t)nbp_sysinfo_entry;
    thread_block[24] = (uint32_t)c_locale;
    uint32_t base = (uint32_t)thread_block;
    uint8_t *d = (uint8_t *)(nbp_boot->gdt + 0x28);
    d[0] = 0xFF; d[1] = 0xFF;
    d[2] = base & 0xFF; d[3] = (base >> 8) & 0xFF; d[4] = (base >> 16) & 0xFF;
    d[5] = 0x92; d[6] = 0xCF; d[7] = (base >> 24) & 0xFF;
    __asm__ volatile("mov %0, %%gs" ::"r"((uint16_t)0x28));
    __environ = empty_env;
    for (int i = 0; i < 20; i++) idt[i] = gate(nbp_exc_table[i]);
    idt[0x80] = gate((uint32_t)nbp_int80_entry);
    idtr.limit = sizeof idt - 1;
    idtr.base = (uint32_t)idt;
    __asm__ volatile("lidt %0" ::"m"(idtr));
}

struct excframe {
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax, vector, err, eip, cs, eflags;
};

void nbp_exception(struct excframe *f) {
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    console_printf("\n[nbp] CPU exception %u (error %#x) at EIP=%08x\n"
                   "  EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n"
                   "  ESI=%08x EDI=%08x EBP=%08x ESP=%08x CR2=%08x EFLAGS=%08x\n"
                   "[nbp] halted\n",
                   f->vector, f->err, f->eip, f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp,
                   f->esp, cr2, f->eflags);
    for (;;) __asm__ volatile("cli; hlt");
}

/* Wall clock: the CMOS RTC read once at start-up (UTC assumed), advanced by the TSC. */
static double epoch_ms_at_start;

static uint8_t cmos(uint8_t reg) {
    outb(0x70, reg);
    return inb(0x71);
}

static int bcd(int v, int is_bcd) { return is_bcd ? (v & 15) + (v >> 4) * 10 : v; }

static long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - (int)(era * 400);
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rtc_init(void) {
    for (int i = 0; i < 100000 && (cmos(0x0A) & 0x80); i++) {}  /* not during an update */
    uint8_t b = cmos(0x0B);
    int is_bcd = !(b & 0x04);
    int sec = bcd(cmos(0x00), is_bcd), min = bcd(cmos(0x02), is_bcd);
    int hr_raw = cmos(0x04);
    int pm = hr_raw & 0x80;
    int hour = bcd(hr_raw & 0x7F, is_bcd);
    if (!(b & 0x02)) { hour %= 12; if (pm) hour += 12; }  /* 12-hour mode */
    int day = bcd(cmos(0x07), is_bcd), mon = bcd(cmos(0x08), is_bcd), yr = bcd(cmos(0x09), is_bcd);
    int century = bcd(cmos(0x32), is_bcd);
    int year = (century >= 19 && century <= 30) ? century * 100 + yr : 2000 + yr;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return;
    double secs = (double)days_from_civil(year, mon, day) * 86400.0 + hour * 3600 + min * 60 + sec;
    epoch_ms_at_start = secs * 1000.0 - clock_ms();
}

static void fill_timespec_ms(struct timespec *ts, double ms) {
    uint64_t ns = (uint64_t)(ms * 1e6);
    ts->tv_sec = (time_t)(ns / 1000000000u);
    ts->tv_nsec = (long)(ns % 1000000000u);
}

static void fill_timespec(clockid_t clk, struct timespec *ts) {
    double ms = clock_ms();
    if (clk == CLOCK_REALTIME) ms += epoch_ms_at_start;
    fill_timespec_ms(ts, ms);
}

int __clock_gettime(clockid_t clk, struct timespec *ts) { fill_timespec(clk, ts); return 0; }
int clock_gettime(clockid_t clk, struct timespec *ts) { fill_timespec(clk, ts); return 0; }
int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;
    if (tv) {
        struct timespec ts;
        fill_timespec(CLOCK_REALTIME, &ts);
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}
time_t time(time_t *t) {
    struct timespec ts;
    fill_timespec(CLOCK_REALTIME, &ts);
    if (t) *t = ts.tv_sec;
    return ts.tv_sec;
}
/* No time zones here: local time is UTC. */
struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm) { return gmtime_r(t, tm); }

void abort(void) {
    console_puts("\n[nbp] abort()\n");
    for (;;) __asm__ volatile("cli; hlt");
}

/* i386 syscall numbers */
#define SYS_exit 1
#define SYS_write 4
#define SYS_ioctl 54
#define SYS_writev 146
#define SYS_exit_group 252

long nbp_syscall(long nr, long a, long b, long c, long d, long e, long f) {
    (void)d; (void)e; (void)f;
    switch (nr) {
    case SYS_write:
        if (a == 1 || a == 2) { console_write((const char *)b, (size_t)c); return c; }
        return -EBADF;
    case SYS_writev:
        if (a == 1 || a == 2) {
            const struct iovec *iov = (const struct iovec *)b;
            long total = 0;
            for (long i = 0; i < c; i++) {
                console_write(iov[i].iov_base, iov[i].iov_len);
                total += (long)iov[i].iov_len;
            }
            return total;
        }
        return -EBADF;
    case SYS_ioctl:
        return -ENOTTY;
    case SYS_exit:
    case SYS_exit_group:
        console_printf("\n[nbp] exit(%ld)\n", a);
        nbp_poweroff();
    default:
        return -ENOSYS;
    }
}
