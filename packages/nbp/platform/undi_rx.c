/*
 * The UNDI receive loop in C (nbp.undiReceive): PXENV_UNDI_ISR cycles as
 * @pxe/undi's UndiLink.poll runs them in TypeScript, with frames written
 * into one JS buffer as [u16 length LE][bytes] records, and optionally
 * receive coalescing: consecutive in-order TCP data segments of one flow
 * become one larger segment (checksums verified first, recomputed after),
 * so the stack handles a burst once. The merge rules are documented on
 * @pxe/undi's PxeCallPort.isrReceive; the TypeScript loop in UndiLink is
 * the fallback (without coalescing).
 */
#include <string.h>
#include "nbp.h"

#define MAX_FRAME 1536   /* the piece buffer; max_frame is at most this */
#define NO_RECORD 0xFFFFFFFFu

static uint8_t piece_buf[MAX_FRAME];
static uint32_t piece_total, piece_have;
static int piece_active, piece_discard;

static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static uint32_t be32(const uint8_t *p) { return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]; }

static uint32_t sum16(const uint8_t *p, uint32_t n, uint32_t s) {
    for (; n > 1; n -= 2, p += 2) s += (uint32_t)(p[0] << 8) | p[1];
    if (n) s += (uint32_t)p[0] << 8;
    return s;
}
static uint16_t fold16(uint32_t s) {
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
    return (uint16_t)s;
}
static uint32_t pseudo(const uint8_t *ip, uint32_t tcp_len) {
    return sum16(ip + 12, 8, 6 + tcp_len);
}

/* A TCP data segment that may be merged: IPv4 without options or fragments,
   valid header and TCP checksums, flags ACK (+PSH) only, payload present. */
struct seg { uint32_t tot, thl, plen, seq; };
static int tcp_seg(const uint8_t *f, uint32_t n, struct seg *s) {
    if (n < 54 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || f[23] != 6) return 0;
    uint32_t tot = be16(f + 16);
    if (tot < 40 || 14 + tot > n || (be16(f + 20) & 0x3FFF)) return 0;
    uint32_t thl = (uint32_t)(f[46] >> 4) * 4;
    if (thl < 20 || 20 + thl >= tot) return 0;
    if ((f[47] & ~0x18) || !(f[47] & 0x10)) return 0;
    if (fold16(sum16(f + 14, 20, 0)) != 0xFFFF) return 0;
    if (fold16(sum16(f + 34, tot - 20, pseudo(f + 14, tot - 20))) != 0xFFFF) return 0;
    s->tot = tot;
    s->thl = thl;
    s->plen = tot - 20 - thl;
    s->seq = be32(f + 38);
    return 1;
}

struct out {
    uint8_t *buf;
    uint32_t cap, used;
    uint32_t open;      /* offset of the open (mergeable) record, or NO_RECORD */
    struct seg os;      /* its segment */
    int merged;         /* segments merged into it beyond the first */
};

static void close_open(struct out *o, int32_t *st) {
    if (o->open == NO_RECORD) return;
    if (o->merged) {
        uint8_t *f = o->buf + o->open + 2;
        uint32_t tot = o->os.tot;
        f[16] = (uint8_t)(tot >> 8); f[17] = (uint8_t)tot;
        f[24] = f[25] = 0;
        uint16_t c = (uint16_t)~fold16(sum16(f + 14, 20, 0));
        f[24] = (uint8_t)(c >> 8); f[25] = (uint8_t)c;
        f[50] = f[51] = 0;
        c = (uint16_t)~fold16(sum16(f + 34, tot - 20, pseudo(f + 14, tot - 20)));
        f[50] = (uint8_t)(c >> 8); f[51] = (uint8_t)c;
        o->buf[o->open] = (uint8_t)(14 + tot);
        o->buf[o->open + 1] = (uint8_t)((14 + tot) >> 8);
        st[ST_MERGED] += o->merged;
    }
    o->open = NO_RECORD;
    o->merged = 0;
}

/* Appends frame f (n bytes) as a record, or merges it into the open one. Returns 1 if a new record was written. */
static int emit(struct out *o, const uint8_t *f, uint32_t n, int coalesce, int32_t *st) {
    struct seg s;
    int mergeable = coalesce && tcp_seg(f, n, &s);
    if (mergeable && o->open != NO_RECORD) {
        uint8_t *p = o->buf + o->open + 2;
        if (p[47] == 0x10 && !memcmp(p, f, 12) && !memcmp(p + 26, f + 26, 8) && !memcmp(p + 34, f + 34, 4) &&
            !memcmp(p + 42, f + 42, 4) && o->os.thl == s.thl && !memcmp(p + 54, f + 54, s.thl - 20) &&
            s.seq == o->os.seq + o->os.plen && o->os.tot + s.plen <= 0xFFFF) {
            memcpy(p + 14 + o->os.tot, f + 34 + s.thl, s.plen);
            p[47] |= f[47];
            p[48] = f[48]; p[49] = f[49];
            o->os.tot += s.plen;
            o->os.plen += s.plen;
            o->used = o->open + 2 + 14 + o->os.tot;
            o->merged++;
            return 0;
        }
    }
    close_open(o, st);
    o->buf[o->used] = (uint8_t)n;
    o->buf[o->used + 1] = (uint8_t)(n >> 8);
    memcpy(o->buf + o->used + 2, f, n);
    if (mergeable) {
        o->open = o->used;
        o->os = s;
        o->merged = 0;
        o->used += 2 + 14 + s.tot;   /* Ethernet padding dropped */
        o->buf[o->open] = (uint8_t)(14 + s.tot);
        o->buf[o->open + 1] = (uint8_t)((14 + s.tot) >> 8);
    } else {
        o->used += 2 + n;
    }
    return 1;
}

/* One PXENV_UNDI_ISR call with FuncFlag `in`: returns FuncFlag out, -1 when
   the call failed (exit code and status in st), -2 at the call limit. */
static int isr(int in, int *calls, int max_calls, uint32_t block, int32_t *st) {
    struct s_PXENV_UNDI_ISR *b = (struct s_PXENV_UNDI_ISR *)block;
    if (*calls >= max_calls) { st[ST_CALL_LIMIT]++; return -2; }
    (*calls)++;
    memset(b, 0, sizeof *b);
    b->FuncFlag = (uint16_t)in;
    int ax = pxe_call(PXENV_UNDI_ISR, block);
    st[ST_ISR_CALLS]++;
    if (ax != PXENV_EXIT_SUCCESS || b->Status != PXENV_STATUS_SUCCESS) {
        st[ST_EXIT] = ax;
        st[ST_STATUS] = b->Status;
        return -1;
    }
    return b->FuncFlag;
}

/*
 * Runs ISR cycles until `max_frames` frames were taken, DONE, BUSY or
 * `max_calls` calls. Returns the number of records, or -1 when a call
 * failed (st[ST_EXIT], st[ST_STATUS] say how). `block` is the real-mode
 * scratch area for the 16-byte PXENV_UNDI_ISR block; frames longer than
 * `max_frame` (MTU + 14) are skipped and counted as oversize.
 */
int undi_receive(uint8_t *buf, uint32_t cap, int max_frames, int max_calls, int flags, uint32_t max_frame, int32_t *st, uint32_t block) {
    struct out o = { buf, cap, 0, NO_RECORD, {0, 0, 0, 0}, 0 };
    const struct s_PXENV_UNDI_ISR *b = (const struct s_PXENV_UNDI_ISR *)block;
    int frames = 0, calls = 0, records = 0;
    int coalesce = flags & F_COALESCE;
    if (max_frame > MAX_FRAME) max_frame = MAX_FRAME;
    if (flags & F_RESET) piece_active = 0;
    while (frames < max_frames) {
        if (o.cap - o.used < 2 + MAX_FRAME) break;       /* room for one more frame */
        int in = st[ST_PROCESSING] ? PXENV_UNDI_ISR_IN_GET_NEXT : (flags & F_START) ? PXENV_UNDI_ISR_IN_START : PXENV_UNDI_ISR_IN_PROCESS;
        int out = isr(in, &calls, max_calls, block, st);
        if (in == PXENV_UNDI_ISR_IN_START) {
            if (out == PXENV_UNDI_ISR_OUT_OURS) out = isr(PXENV_UNDI_ISR_IN_PROCESS, &calls, max_calls, block, st);
            else if (out >= 0) break;                                         /* NOT_OURS */
        }
        if (out == -1) { close_open(&o, st); return -1; }
        if (out == -2) break;                                                 /* call limit */
        st[ST_PROCESSING] = 1;
        if (out == PXENV_UNDI_ISR_OUT_DONE) {
            st[ST_PROCESSING] = 0;
            if (piece_active) { piece_active = 0; st[ST_PROTO_ERR]++; }
            break;
        }
        if (out == PXENV_UNDI_ISR_OUT_BUSY) { st[ST_BUSY]++; st[ST_PROCESSING] = 0; break; }
        if (out == PXENV_UNDI_ISR_OUT_TRANSMIT) { st[ST_TX_DONE]++; continue; }
        if (out != PXENV_UNDI_ISR_OUT_RECEIVE) { st[ST_PROTO_ERR]++; st[ST_PROCESSING] = 0; piece_active = 0; break; }
        uint32_t blen = b->BufferLength, flen = b->FrameLength;
        const uint8_t *src = (const uint8_t *)(((uint32_t)b->Frame.segment << 4) + b->Frame.offset);
        if (!piece_active && blen == flen && flen >= 1 && flen <= max_frame) {
            records += emit(&o, src, flen, coalesce, st);
            frames++;
            st[ST_FRAMES]++;
            continue;
        }
        if (!piece_active) {
            if (flen == 0) { st[ST_PROTO_ERR]++; continue; }
            piece_active = 1;
            piece_total = flen;
            piece_have = 0;
            piece_discard = flen > max_frame;
        }
        if (blen == 0 || piece_have + blen > piece_total) { piece_active = 0; st[ST_PROTO_ERR]++; continue; }
        if (!piece_discard) memcpy(piece_buf + piece_have, src, blen);
        piece_have += blen;
        if (piece_have < piece_total) continue;
        piece_active = 0;
        if (piece_discard) { st[ST_OVERSIZE]++; continue; }
        records += emit(&o, piece_buf, piece_total, coalesce, st);
        frames++;
        st[ST_FRAMES]++;
    }
    close_open(&o, st);
    return records;
}
