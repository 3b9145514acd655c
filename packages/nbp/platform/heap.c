/*
 * The heap: malloc/free/realloc/calloc over the largest RAM region above
 * 1 MiB (from E820). Small blocks come from segregated free lists (60 size
 * classes, 4 per power of two, up to 1 MiB); bigger ones are rounded to
 * 64 KiB and kept on one first-fit list. Fresh memory is carved bottom-up;
 * heap_alloc_high() carves top-down (kernels, modules); heap_release_high()
 * gives back everything carved since a heap_high_mark() (a boot image's
 * staging when the boot is refused).
 */
#include <string.h>
#include <errno.h>
#include "nbp.h"

#define HDR 16
#define NCLASS 60
#define MAGIC 0x4B4C4250u   /* "PBLK" */
#define BIG_CLASS 0xFFFFu

struct hdr { uint32_t size; uint32_t cls; uint32_t magic; uint32_t pad; };
struct freeblk { struct freeblk *next; };

static uint32_t lo, hi, bump, top;
static struct freeblk *freelist[NCLASS];
static struct hdr *bigfree;   /* big blocks chained through hdr->pad */
static size_t used;

void heap_init(uint32_t start, uint32_t end) {
    lo = bump = (start + 15) & ~15u;
    hi = top = end & ~15u;
}
uint32_t heap_start(void) { return lo; }
uint32_t heap_end(void) { return top; }
size_t heap_used(void) { return used; }
size_t heap_free(void) { return top - bump; }

static int class_of(size_t s, uint32_t *csize) {
    if (s <= 128) {
        int i = (int)((s + 15) / 16);
        if (i == 0) i = 1;
        *csize = (uint32_t)i * 16;
        return i - 1;
    }
    uint32_t n = (uint32_t)s - 1;
    int b = 31 - __builtin_clz(n);
    uint32_t sub = (n >> (b - 2)) & 3;
    *csize = (4 + sub + 1) << (b - 2);
    return 8 + (b - 7) * 4 + (int)sub;
}

static void *carve(uint32_t total) {
    if (total > top - bump) return NULL;
    uint32_t p = bump;
    bump += total;
    return (void *)p;
}

uint32_t heap_alloc_high(uint32_t size, uint32_t align) {
    if (align < 16) align = 16;
    if ((align & (align - 1)) != 0) return 0;
    if (size > top - bump) return 0;
    uint32_t p = (top - size) & ~(align - 1);
    if (p < bump) return 0;
    top = p;
    return p;
}

uint32_t heap_high_mark(void) { return top; }

int heap_release_high(uint32_t mark) {
    if (mark < top || mark > hi || (mark & 15u) != 0) return -1;
    top = mark;
    return 0;
}

void *malloc(size_t n) {
    struct hdr *h;
    if (n > 0x40000000u) { errno = ENOMEM; return NULL; }
    if (n <= (1u << 20)) {
        uint32_t cs;
        int c = class_of(n, &cs);
        if (freelist[c]) {
            struct freeblk *f = freelist[c];
            freelist[c] = f->next;
            h = (struct hdr *)((char *)f - HDR);
        } else {
            h = carve(cs + HDR);
            if (!h) { errno = ENOMEM; return NULL; }
            h->size = cs;
            h->cls = (uint32_t)c;
        }
    } else {
        uint32_t sz = ((uint32_t)n + 0xFFFF) & ~0xFFFFu;
        struct hdr **pp = &bigfree;
        h = NULL;
        while (*pp) {
            if ((*pp)->size >= sz && (*pp)->size <= sz * 2) {
                h = *pp;
                *pp = (struct hdr *)h->pad;
                break;
            }
            pp = (struct hdr **)&(*pp)->pad;
        }
        if (!h) {
            h = carve(sz + HDR);
            if (!h) { errno = ENOMEM; return NULL; }
            h->size = sz;
            h->cls = BIG_CLASS;
        }
    }
    h->magic = MAGIC;
    h->pad = 0;
    used += h->size;
    return (char *)h + HDR;
}

void free(void *p) {
    if (!p) return;
    struct hdr *h = (struct hdr *)((char *)p - HDR);
    if (h->magic != MAGIC) {
        console_printf("\n[nbp] free(%p): not a heap block\n", p);
        return;
    }
    h->magic = 0;
    used -= h->size;
    if (h->cls == BIG_CLASS) {
        h->pad = (uint32_t)bigfree;
        bigfree = h;
    } else {
        struct freeblk *f = p;
        f->next = freelist[h->cls];
        freelist[h->cls] = f;
    }
}

size_t malloc_usable_size(void *p) {
    if (!p) return 0;
    return ((struct hdr *)((char *)p - HDR))->size;
}

void *calloc(size_t a, size_t b) {
    if (b && a > (size_t)-1 / b) { errno = ENOMEM; return NULL; }
    void *p = malloc(a * b);
    if (p) memset(p, 0, a * b);
    return p;
}

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    if (n == 0) { free(p); return NULL; }
    size_t have = malloc_usable_size(p);
    if (n <= have && (n > have / 4 || have <= 256)) return p;
    void *q = malloc(n);
    if (!q) return NULL;
    memcpy(q, p, n < have ? n : have);
    free(p);
    return q;
}

/* Names musl's own code may call. */
void *__libc_malloc(size_t n) { return malloc(n); }
void __libc_free(void *p) { free(p); }
void *__libc_calloc(size_t a, size_t b) { return calloc(a, b); }
void *__libc_realloc(void *p, size_t n) { return realloc(p, n); }
