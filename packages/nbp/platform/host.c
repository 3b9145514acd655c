/*
 * The engine's main and the host API: the global `nbp` object that the
 * TypeScript loader sees (typed in packages/nbp/src/host-api.ts).
 */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include "nbp.h"
#include "quickjs.h"

struct bootinfo *nbp_boot;

static JSValue u8_ctor;
static uint32_t pxe_scratch;
#define PXE_SCRATCH 4096
#define E820_MAX 128
static uint8_t e820_buf[E820_MAX * 24];
static int e820_n;

/* ---- helpers ---- */

static uint8_t *u8_data(JSContext *ctx, JSValueConst v, size_t *len) {
    size_t off, blen, bpe, abl;
    JSValue ab = JS_GetTypedArrayBuffer(ctx, v, &off, &blen, &bpe);
    if (JS_IsException(ab)) return NULL;
    uint8_t *p = JS_GetArrayBuffer(ctx, &abl, ab);
    JS_FreeValue(ctx, ab);
    if (!p) return NULL;
    *len = blen;
    return p + off;
}

static JSValue new_u8(JSContext *ctx, const uint8_t *src, uint32_t n) {
    JSValue len = JS_NewUint32(ctx, n);
    JSValue a = JS_CallConstructor(ctx, u8_ctor, 1, &len);
    if (JS_IsException(a)) return a;
    size_t l;
    uint8_t *p = u8_data(ctx, a, &l);
    if (p && src) memcpy(p, src, n);
    return a;
}

static int arg_u32(JSContext *ctx, JSValueConst v, uint32_t *out) {
    double d;
    if (JS_ToFloat64(ctx, &d, v)) return -1;
    if (!(d >= 0 && d <= 4294967295.0)) { JS_ThrowRangeError(ctx, "expected an unsigned 32-bit number"); return -1; }
    *out = (uint32_t)d;
    return 0;
}

/* ---- nbp.* ---- */

static JSValue h_pxeCall(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t op;
    size_t len;
    if (arg_u32(ctx, argv[0], &op)) return JS_EXCEPTION;
    uint8_t *p = u8_data(ctx, argv[1], &len);
    if (!p) return JS_EXCEPTION;
    if (len > PXE_SCRATCH) return JS_ThrowRangeError(ctx, "pxeCall: block larger than %d bytes", PXE_SCRATCH);
    if (!nbp_boot->bangpxe && !nbp_boot->pxenv) return JS_ThrowInternalError(ctx, "pxeCall: no PXE API found");
    memcpy((void *)pxe_scratch, p, len);
    int ax = pxe_call((uint16_t)op, pxe_scratch);
    memcpy(p, (void *)pxe_scratch, len);
    return JS_NewInt32(ctx, ax);
}

static JSValue h_memRead(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t a, n;
    if (arg_u32(ctx, argv[0], &a) || arg_u32(ctx, argv[1], &n)) return JS_EXCEPTION;
    if (n > 0x10000000) return JS_ThrowRangeError(ctx, "memRead: length too large");
    return new_u8(ctx, (const uint8_t *)a, n);
}

static JSValue h_memReadInto(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t a, off, n;
    size_t len;
    if (arg_u32(ctx, argv[0], &a)) return JS_EXCEPTION;
    uint8_t *p = u8_data(ctx, argv[1], &len);
    if (!p) return JS_EXCEPTION;
    if (arg_u32(ctx, argv[2], &off) || arg_u32(ctx, argv[3], &n)) return JS_EXCEPTION;
    if (off > len || n > len - off) return JS_ThrowRangeError(ctx, "memReadInto: %u bytes at %u do not fit in %u", n, off, (unsigned)len);
    memcpy(p + off, (const void *)a, n);
    return JS_UNDEFINED;
}

static JSValue h_memWrite(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t a, off = 0, n;
    size_t len;
    if (arg_u32(ctx, argv[0], &a)) return JS_EXCEPTION;
    uint8_t *p = u8_data(ctx, argv[1], &len);
    if (!p) return JS_EXCEPTION;
    if (argc > 2 && !JS_IsUndefined(argv[2]) && arg_u32(ctx, argv[2], &off)) return JS_EXCEPTION;
    if (off > len) return JS_ThrowRangeError(ctx, "memWrite: offset beyond data");
    n = (uint32_t)len - off;
    if (argc > 3 && !JS_IsUndefined(argv[3]) && arg_u32(ctx, argv[3], &n)) return JS_EXCEPTION;
    if (n > len - off) return JS_ThrowRangeError(ctx, "memWrite: length beyond data");
    memmove((void *)a, p + off, n);
    return JS_UNDEFINED;
}

static JSValue h_allocLow(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t n;
    if (arg_u32(ctx, argv[0], &n)) return JS_EXCEPTION;
    uint32_t p = low_alloc(n, 16);
    if (!p) return JS_ThrowRangeError(ctx, "allocLow: %u bytes do not fit in conventional memory", n);
    return JS_NewUint32(ctx, p);
}

static JSValue h_allocHigh(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t n, al = 16;
    if (arg_u32(ctx, argv[0], &n)) return JS_EXCEPTION;
    if (argc > 1 && arg_u32(ctx, argv[1], &al)) return JS_EXCEPTION;
    uint32_t p = heap_alloc_high(n, al);
    if (!p) return JS_ThrowRangeError(ctx, "allocHigh: %u bytes (align %u) do not fit", n, al);
    return JS_NewUint32(ctx, p);
}

static JSValue h_highMark(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    return JS_NewUint32(ctx, heap_high_mark());
}

static JSValue h_releaseHigh(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    uint32_t mark;
    if (arg_u32(ctx, argv[0], &mark)) return JS_EXCEPTION;
    if (heap_release_high(mark)) return JS_ThrowRangeError(ctx, "releaseHigh: 0x%x is not a mark at or above the allocHigh top 0x%x", mark, heap_high_mark());
    return JS_UNDEFINED;
}

static JSValue h_now(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    return JS_NewFloat64(ctx, clock_ms());
}

static JSValue h_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, argv[0]);
    if (!s) return JS_EXCEPTION;
    console_write(s, n);
    JS_FreeCString(ctx, s);
    return JS_UNDEFINED;
}

static JSValue h_readKey(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    return JS_NewInt32(ctx, console_read_key());
}

static JSValue h_e820(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    return new_u8(ctx, e820_buf, (uint32_t)e820_n * 24);
}

static JSValue h_onesSum(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    size_t len;
    uint32_t start, end;
    double init;
    uint8_t *p = u8_data(ctx, argv[0], &len);
    if (!p) return JS_EXCEPTION;
    if (arg_u32(ctx, argv[1], &start) || arg_u32(ctx, argv[2], &end)) return JS_EXCEPTION;
    if (JS_ToFloat64(ctx, &init, argv[3])) return JS_EXCEPTION;
    if (end > len) end = (uint32_t)len;
    /* Same arithmetic as @pxe/core onesSumTs, fold points included. */
    uint64_t sum = init >= 0 && init < 9007199254740992.0 ? (uint64_t)init : 0;
    uint32_t i = start;
    for (; i + 1 < end; i += 2) {
        sum += ((uint32_t)p[i] << 8) | p[i + 1];
        if (sum > 0x7fffffff) sum = ((uint32_t)sum & 0xffff) + ((uint32_t)sum >> 16);
    }
    if (i < end) sum += (uint32_t)p[i] << 8;
    return JS_NewFloat64(ctx, (double)sum);
}

/* nbp.sha256Blocks(state: Uint32Array(8), data: Uint8Array, start, end): whole blocks only. */
static JSValue h_sha256Blocks(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    size_t off, blen, bpe, abl, len;
    uint32_t start, end;
    JSValue ab = JS_GetTypedArrayBuffer(ctx, argv[0], &off, &blen, &bpe);
    if (JS_IsException(ab)) return JS_EXCEPTION;
    uint8_t *sp = JS_GetArrayBuffer(ctx, &abl, ab);
    JS_FreeValue(ctx, ab);
    if (!sp || bpe != 4 || blen < 32) return JS_ThrowTypeError(ctx, "sha256Blocks: state must be a Uint32Array of 8 words");
    uint8_t *p = u8_data(ctx, argv[1], &len);
    if (!p) return JS_EXCEPTION;
    if (arg_u32(ctx, argv[2], &start) || arg_u32(ctx, argv[3], &end)) return JS_EXCEPTION;
    if (start > end || end > len || ((end - start) & 63)) return JS_ThrowRangeError(ctx, "sha256Blocks: [%u, %u) is not whole blocks inside %u bytes", start, end, (unsigned)len);
    sha256_blocks((uint32_t *)(sp + off), p + start, (end - start) / 64);
    return JS_UNDEFINED;
}

/* nbp.undiReceive(out, maxFrames, maxCalls, flags, maxFrame, state: Int32Array(11)) -> records or -1 */
static JSValue h_undiReceive(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    size_t len, off, blen, bpe, abl;
    uint32_t max_frames, max_calls, flags, max_frame;
    uint8_t *p = u8_data(ctx, argv[0], &len);
    if (!p) return JS_EXCEPTION;
    if (arg_u32(ctx, argv[1], &max_frames) || arg_u32(ctx, argv[2], &max_calls) || arg_u32(ctx, argv[3], &flags) || arg_u32(ctx, argv[4], &max_frame)) return JS_EXCEPTION;
    JSValue ab = JS_GetTypedArrayBuffer(ctx, argv[5], &off, &blen, &bpe);
    if (JS_IsException(ab)) return JS_EXCEPTION;
    uint8_t *sp = JS_GetArrayBuffer(ctx, &abl, ab);
    JS_FreeValue(ctx, ab);
    if (!sp || bpe != 4 || blen < UNDI_RX_STATE_WORDS * 4) return JS_ThrowTypeError(ctx, "undiReceive: state must be an Int32Array of %d words", UNDI_RX_STATE_WORDS);
    if (!nbp_boot->bangpxe && !nbp_boot->pxenv) return JS_ThrowInternalError(ctx, "undiReceive: no PXE API found");
    if (max_frames > 0x7fffffff) max_frames = 0x7fffffff;
    if (max_calls > 0x7fffffff) max_calls = 0x7fffffff;
    return JS_NewInt32(ctx, undi_receive(p, (uint32_t)len, (int)max_frames, (int)max_calls, (int)flags, max_frame, (int32_t *)(sp + off), pxe_scratch));
}

/* nbp.tftpGet(name) -> Uint8Array, or the PXE status (number) when the firmware's TFTP refused (0x3B: not found). */
static JSValue h_tftpGet(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    const char *name = JS_ToCString(ctx, argv[0]);
    if (!name) return JS_EXCEPTION;
    uint8_t *buf = NULL;
    uint32_t cap = 0, len = 0;
    int rc = tftp_read(name, &buf, &cap, &len, 1);
    JS_FreeCString(ctx, name);
    JSValue r = rc ? JS_NewInt32(ctx, rc) : new_u8(ctx, buf, len);
    free(buf);
    return r;
}

/* nbp.addressOf(u8) -> linear address of its bytes. */
static JSValue h_addressOf(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    size_t len;
    uint8_t *p = u8_data(ctx, argv[0], &len);
    if (!p) return JS_EXCEPTION;
    return JS_NewUint32(ctx, (uint32_t)p);
}

/* The u32 words of nbp.boot's arguments: copies (groups of BOOT_COPY_WORDS) and the entry block. */
static int boot_args(JSContext *ctx, JSValueConst *argv, const struct boot_copy **c, uint32_t *n, const struct boot_entry **e) {
    size_t off, blen, bpe, abl;
    uint8_t *p[2];
    size_t len[2];
    for (int i = 0; i < 2; i++) {
        JSValue ab = JS_GetTypedArrayBuffer(ctx, argv[i], &off, &blen, &bpe);
        if (JS_IsException(ab)) return -1;
        p[i] = JS_GetArrayBuffer(ctx, &abl, ab);
        JS_FreeValue(ctx, ab);
        if (!p[i] || bpe != 4) { JS_ThrowTypeError(ctx, "boot: copies and entry must be Uint32Arrays"); return -1; }
        p[i] += off;
        len[i] = blen / 4;
    }
    if (len[0] % BOOT_COPY_WORDS) { JS_ThrowRangeError(ctx, "boot: copies must be groups of %d words", BOOT_COPY_WORDS); return -1; }
    if (len[1] != BOOT_ENTRY_WORDS) { JS_ThrowRangeError(ctx, "boot: entry must be %d words", BOOT_ENTRY_WORDS); return -1; }
    *c = (const struct boot_copy *)p[0];
    *n = (uint32_t)(len[0] / BOOT_COPY_WORDS);
    *e = (const struct boot_entry *)p[1];
    return 0;
}

/* nbp.bootCheck(copies, entry) -> null, or why nbp.boot would refuse them. */
static JSValue h_bootCheck(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    const struct boot_copy *c;
    const struct boot_entry *e;
    uint32_t n;
    if (boot_args(ctx, argv, &c, &n, &e)) return JS_EXCEPTION;
    const char *why = boot_check(c, n, e);
    if (!why && low_free() < n * sizeof *c + sizeof *e + 64) why = "no conventional memory left for the copy list";
    return why ? JS_NewString(ctx, why) : JS_NULL;
}

/* nbp.boot(copies, entry): copies every piece into place and enters the kernel. Never returns (throws if refused). */
static JSValue h_boot(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    const struct boot_copy *c;
    const struct boot_entry *e;
    uint32_t n;
    if (boot_args(ctx, argv, &c, &n, &e)) return JS_EXCEPTION;
    const char *why = boot_check(c, n, e);
    if (why) return JS_ThrowRangeError(ctx, "boot: %s", why);
    boot_start(c, n, e);
}

static JSValue h_reboot(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) { nbp_reboot(); }
static JSValue h_poweroff(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) { nbp_poweroff(); }

static JSValue h_runJobs(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    JSRuntime *rt = JS_GetRuntime(ctx);
    JSContext *c2;
    int n = 0, r;
    while ((r = JS_ExecutePendingJob(rt, &c2)) > 0) n++;
    if (r < 0) return JS_EXCEPTION;
    return JS_NewInt32(ctx, n);
}

static JSValue h_selectEntry(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    const char *s = JS_ToCString(ctx, argv[0]);
    if (!s) return JS_EXCEPTION;
    int want = !strcmp(s, "PXENV+") ? 1 : !strcmp(s, "!PXE") ? 0 : -1;
    JS_FreeCString(ctx, s);
    if (want < 0) return JS_ThrowTypeError(ctx, "selectEntry: expected \"!PXE\" or \"PXENV+\"");
    if (pxe_select_entry(want)) return JS_ThrowRangeError(ctx, "selectEntry: the firmware gave no %s", want ? "PXENV+" : "!PXE");
    JSValue pxe = JS_GetPropertyStr(ctx, this, "pxe");
    if (JS_IsObject(pxe)) JS_SetPropertyStr(ctx, pxe, "entry", JS_NewString(ctx, want ? "PXENV+" : "!PXE"));
    JS_FreeValue(ctx, pxe);
    return JS_UNDEFINED;
}

static JSValue h_halt(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    /* IRQs are vectored for real mode (BIOS PIC setup): wait there. Only if
       the timer (IRQ0) can wake us up: never sleep on a masked PIC. */
    if (inb(0x21) & 0x01) return JS_UNDEFINED;
    struct rmcall r;
    memset(&r, 0, sizeof r);
    rm_far((uint16_t)(nbp_boot->idle >> 16), (uint16_t)nbp_boot->idle, &r);
    return JS_UNDEFINED;
}

static JSValue h_memoryUsage(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "heapUsed", JS_NewFloat64(ctx, (double)heap_used()));
    JS_SetPropertyStr(ctx, o, "heapFree", JS_NewFloat64(ctx, (double)heap_free()));
    JS_SetPropertyStr(ctx, o, "lowFree", JS_NewFloat64(ctx, (double)low_free()));
    JS_SetPropertyStr(ctx, o, "heapSize", JS_NewFloat64(ctx, (double)(heap_end() - heap_start())));
    return o;
}

static const JSCFunctionListEntry nbp_funcs[] = {
    JS_CFUNC_DEF("pxeCall", 2, h_pxeCall),
    JS_CFUNC_DEF("memRead", 2, h_memRead),
    JS_CFUNC_DEF("memReadInto", 4, h_memReadInto),
    JS_CFUNC_DEF("memWrite", 4, h_memWrite),
    JS_CFUNC_DEF("allocLow", 1, h_allocLow),
    JS_CFUNC_DEF("allocHigh", 2, h_allocHigh),
    JS_CFUNC_DEF("highMark", 0, h_highMark),
    JS_CFUNC_DEF("releaseHigh", 1, h_releaseHigh),
    JS_CFUNC_DEF("now", 0, h_now),
    JS_CFUNC_DEF("write", 1, h_write),
    JS_CFUNC_DEF("readKey", 0, h_readKey),
    JS_CFUNC_DEF("e820", 0, h_e820),
    JS_CFUNC_DEF("onesSum", 4, h_onesSum),
    JS_CFUNC_DEF("sha256Blocks", 4, h_sha256Blocks),
    JS_CFUNC_DEF("undiReceive", 6, h_undiReceive),
    JS_CFUNC_DEF("reboot", 0, h_reboot),
    JS_CFUNC_DEF("poweroff", 0, h_poweroff),
    JS_CFUNC_DEF("runJobs", 0, h_runJobs),
    JS_CFUNC_DEF("halt", 0, h_halt),
    JS_CFUNC_DEF("selectEntry", 1, h_selectEntry),
    JS_CFUNC_DEF("memoryUsage", 0, h_memoryUsage),
    JS_CFUNC_DEF("tftpGet", 1, h_tftpGet),
    JS_CFUNC_DEF("bootCheck", 2, h_bootCheck),
    JS_CFUNC_DEF("addressOf", 1, h_addressOf),
    JS_CFUNC_DEF("boot", 2, h_boot),
};

static void set_num(JSContext *ctx, JSValue o, const char *k, double v) { JS_SetPropertyStr(ctx, o, k, JS_NewFloat64(ctx, v)); }

static void define_nbp(JSContext *ctx) {
    JSValue g = JS_GetGlobalObject(ctx);
    u8_ctor = JS_GetPropertyStr(ctx, g, "Uint8Array");
    JSValue nbp = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, nbp, nbp_funcs, sizeof nbp_funcs / sizeof nbp_funcs[0]);

    JSValue pxe = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, pxe, "entry", JS_NewString(ctx, pxe_entry_is_bang() ? "!PXE" : "PXENV+"));
    set_num(ctx, pxe, "bangPxe", nbp_boot->bangpxe ? segoff_linear(nbp_boot->bangpxe) : 0);
    set_num(ctx, pxe, "pxenv", nbp_boot->pxenv ? segoff_linear(nbp_boot->pxenv) : 0);
    static const char *methods[] = {"none", "stack", "es:bx", "int1a"};
    JS_SetPropertyStr(ctx, pxe, "foundBy", JS_NewString(ctx, methods[nbp_boot->method & 3]));
    JS_SetPropertyStr(ctx, nbp, "pxe", pxe);

    JSValue info = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, info, "engine", JS_NewString(ctx, "QuickJS 2021-03-27"));
    set_num(ctx, info, "imageBytes", nbp_boot->image_len);
    set_num(ctx, info, "lowStart", nbp_boot->low_start);
    set_num(ctx, info, "lowEnd", nbp_boot->low_end);
    set_num(ctx, info, "heapStart", heap_start());
    set_num(ctx, info, "heapEnd", heap_end());
    if (tftp_init() == 0) {
        JS_SetPropertyStr(ctx, info, "bootFile", JS_NewString(ctx, tftp_boot_file()));
        uint32_t ip = tftp_server();
        char s[16];
        snprintf(s, sizeof s, "%u.%u.%u.%u", ip & 255, (ip >> 8) & 255, (ip >> 16) & 255, ip >> 24);
        JS_SetPropertyStr(ctx, info, "tftpServer", JS_NewString(ctx, s));
    }
    JS_SetPropertyStr(ctx, nbp, "info", info);

    JS_SetPropertyStr(ctx, g, "nbp", nbp);
    JS_FreeValue(ctx, g);
}

static void dump_exception(JSContext *ctx) {
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    console_printf("\n[nbp] uncaught: %s\n", s ? s : "?");
    if (s) JS_FreeCString(ctx, s);
    if (JS_IsError(ctx, e)) {
        JSValue st = JS_GetPropertyStr(ctx, e, "stack");
        if (!JS_IsUndefined(st)) {
            const char *t = JS_ToCString(ctx, st);
            if (t) { console_puts(t); JS_FreeCString(ctx, t); }
        }
        JS_FreeValue(ctx, st);
    }
    JS_FreeValue(ctx, e);
}

static const char prelude[] =
    "globalThis.console = globalThis.console || (function () {\n"
    "  const out = (...a) => nbp.write(a.map((x) => typeof x === 'string' ? x : (() => { try { return JSON.stringify(x); } catch (e) { return String(x); } })()).join(' ') + '\\n');\n"
    "  return { log: out, info: out, warn: out, error: out, debug: out };\n"
    "})();\n";

static void add_range(uint64_t base, uint64_t len, uint32_t type) {
    if (e820_n >= E820_MAX || len == 0) return;
    uint8_t *e = e820_buf + e820_n * 24;
    memcpy(e, &base, 8);
    memcpy(e + 8, &len, 8);
    memcpy(e + 16, &type, 4);
    uint32_t attr = 1;
    memcpy(e + 20, &attr, 4);
    e820_n++;
}

/* Old BIOSes without E820: INT 15h AX=E801h, then AH=88h, as E820-style ranges. */
static void legacy_memory_map(void) {
    struct rmcall r;
    add_range(0, nbp_boot->low_end, 1);
    memset(&r, 0, sizeof r);
    r.eax = 0xE801;
    rm_int(0x15, &r);
    if (!(r.eflags & 1)) {
        uint32_t kb1 = r.eax & 0xFFFF, blk64 = r.ebx & 0xFFFF;
        if (!kb1 && !blk64) { kb1 = r.ecx & 0xFFFF; blk64 = r.edx & 0xFFFF; }
        if (((uint64_t)kb1 << 10) == 0xF00000) {
            add_range(0x100000, 0xF00000 + ((uint64_t)blk64 << 16), 1);  /* contiguous */
        } else {
            add_range(0x100000, (uint64_t)kb1 << 10, 1);
            add_range(0x1000000, (uint64_t)blk64 << 16, 1);
        }
        return;
    }
    memset(&r, 0, sizeof r);
    r.eax = 0x8800;
    rm_int(0x15, &r);
    if (!(r.eflags & 1)) add_range(0x100000, (uint64_t)(r.eax & 0xFFFF) << 10, 1);
}

static void setup_heap(void) {
    e820_n = e820_read(e820_buf, E820_MAX);
    if (e820_n == 0) {
        console_puts("[nbp] no E820 memory map; using INT 15h E801h/88h\n");
        legacy_memory_map();
    }
    uint32_t end = 0;
    for (int i = 0; i < e820_n; i++) {
        uint64_t b = *(uint64_t *)(e820_buf + i * 24), l = *(uint64_t *)(e820_buf + i * 24 + 8);
        uint32_t t = *(uint32_t *)(e820_buf + i * 24 + 16);
        if (t == 1 && b <= 0x100000 && b + l > 0x100000) {
            uint64_t e = b + l;
            if (e > 0xFFF00000ull) e = 0xFFF00000ull;
            end = (uint32_t)e;
        }
    }
    if (!end) {
        end = 64u << 20;
        console_puts("[nbp] no usable memory above 1 MiB found; assuming 64 MiB\n");
    }
    /* No loader in the image: the second stage, fetched by TFTP (stage2.c). */
    if (nbp_boot->js_len == 0) nbp_boot->js_len = stage2_load(nbp_boot->js_addr, end);
    uint32_t start = (nbp_boot->js_addr + nbp_boot->js_len + 1 + 4095) & ~4095u;
    heap_init(start, end);
}

void nbp_main(struct bootinfo *bi) {
    nbp_boot = bi;
    sys_init();
    console_init();
    clock_init();
    rtc_init();
    realmode_init();
    pxe_scratch = low_alloc(PXE_SCRATCH, 16);
    setup_heap();
    console_printf("pxehttp.0: %s engine, loader %u bytes, heap %u MiB at %#x\n", "QuickJS 2021-03-27",
                   bi->js_len, (heap_end() - heap_start()) >> 20, heap_start());

    JSRuntime *rt = JS_NewRuntime();
    if (!rt) { console_puts("[nbp] cannot create the JS runtime\n"); for (;;) __asm__ volatile("hlt"); }
    JS_SetMaxStackSize(rt, 900 * 1024);
    JSContext *ctx = JS_NewContext(rt);
    define_nbp(ctx);
    JSValue r = JS_Eval(ctx, prelude, sizeof prelude - 1, "<prelude>", JS_EVAL_TYPE_GLOBAL);
    JS_FreeValue(ctx, r);
    r = JS_Eval(ctx, (const char *)bi->js_addr, bi->js_len, "loader.js", JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(r)) dump_exception(ctx);
    JS_FreeValue(ctx, r);
    for (;;) {
        JSContext *c2;
        int k = JS_ExecutePendingJob(rt, &c2);
        if (k < 0) dump_exception(c2);
        if (k == 0) break;
    }
    console_puts("\n[nbp] loader finished; halted\n");
    for (;;) __asm__ volatile("hlt");
}
