/*
 * Files from the boot server through the PXE firmware's own TFTP client
 * (PXENV_TFTP_OPEN / READ / CLOSE, one packet at a time into a real-mode
 * buffer): the second stage (the loader, see stage2.c) and host API
 * `nbp.tftpGet` (boot configs). The server and directory are those of the
 * boot file, from the firmware's cached DHCP/proxy reply. Must run while the
 * UNDI is not opened by the loader (iPXE keeps received frames for the UNDI
 * API while it is open).
 */
#include <string.h>
#include <stdlib.h>
#include "nbp.h"

#define BLKSIZE_WANTED 1432          /* fits one Ethernet frame with IP/UDP/TFTP headers */
#define BLKSIZE_MAX 2048
#define TFTP_PORT 69                 /* RFC 1350 */

static uint32_t block;               /* parameter block (real-mode reachable) */
static uint32_t packet;              /* one packet's data */
static uint32_t server;              /* network order, as the BOOTP field */
static char bootdir[128];            /* boot file's directory, with a trailing '/' or empty */
static char bootfile[128];

/* The BOOTP packet (struct bootph) the firmware cached for `type`, or 0. */
static uint32_t cached(uint16_t type) {
    struct s_PXENV_GET_CACHED_INFO *c = (void *)block;
    memset(c, 0, sizeof *c);
    c->PacketType = type;
    if (pxe_call(PXENV_GET_CACHED_INFO, block) != PXENV_EXIT_SUCCESS || c->Status != PXENV_STATUS_SUCCESS) return 0;
    if (c->BufferSize < sizeof(struct bootph)) return 0;
    return ((uint32_t)c->Buffer.segment << 4) + c->Buffer.offset;
}

int tftp_init(void) {
    if (!nbp_boot->bangpxe && !nbp_boot->pxenv) return -1;
    if (!block) {
        block = low_alloc(256, 16);
        packet = low_alloc(BLKSIZE_MAX, 16);
        if (!block || !packet) return -1;
    }
    /* The boot server's reply (proxy DHCP) names the file when there is one; else the DHCP ACK. */
    const uint16_t order[2] = {PXENV_PACKET_TYPE_CACHED_REPLY, PXENV_PACKET_TYPE_DHCP_ACK};
    for (int i = 0; i < 2 && (!server || !bootfile[0]); i++) {
        const struct bootph *p = (const struct bootph *)cached(order[i]);
        if (!p) continue;
        if (!server && p->sip) server = p->sip;
        if (!bootfile[0] && p->bootfile[0]) {
            memcpy(bootfile, p->bootfile, sizeof bootfile - 1);
            bootfile[sizeof bootfile - 1] = 0;
        }
    }
    if (!server) return -1;
    const char *slash = strrchr(bootfile, '/');
    size_t n = slash ? (size_t)(slash - bootfile) + 1 : 0;
    memcpy(bootdir, bootfile, n);
    bootdir[n] = 0;
    return 0;
}

const char *tftp_boot_file(void) { return bootfile; }
const char *tftp_boot_dir(void) { return bootdir; }
uint32_t tftp_server(void) { return server; }

/*
 * Reads `name` (relative to the boot file's directory unless it starts with
 * '/') into *buf (capacity *cap). grow != 0: *buf is a malloc block that is
 * grown as needed; else bytes beyond *cap are an error. Returns 0 and sets
 * *len, or a PXE status (e.g. PXENV_STATUS_TFTP_FILE_NOT_FOUND), or TFTP_ERR_*.
 */
int tftp_read(const char *name, uint8_t **buf, uint32_t *cap, uint32_t *len, int grow) {
    if (!server && tftp_init() != 0) return TFTP_ERR_NO_PXE;
    struct s_PXENV_TFTP_OPEN *o = (void *)block;
    memset(o, 0, sizeof *o);
    o->ServerIPAddress = server;
    size_t dl = name[0] == '/' ? 0 : strlen(bootdir), nl = strlen(name[0] == '/' ? name + 1 : name);
    if (dl + nl > 127) return TFTP_ERR_NAME;
    memcpy(o->FileName, bootdir, dl);
    memcpy(o->FileName + dl, name[0] == '/' ? name + 1 : name, nl);
    o->TFTPPort = (uint16_t)((TFTP_PORT >> 8) | (TFTP_PORT << 8));   /* network order */
    o->PacketSize = BLKSIZE_WANTED;
    if (pxe_call(PXENV_TFTP_OPEN, block) != PXENV_EXIT_SUCCESS || o->Status != PXENV_STATUS_SUCCESS) return o->Status ? o->Status : TFTP_ERR_NO_PXE;
    uint32_t blksize = o->PacketSize;
    if (blksize < 512 || blksize > BLKSIZE_MAX) blksize = 512;
    int rc = 0;
    uint32_t got = 0;
    uint16_t expect = 1;
    for (;;) {
        struct s_PXENV_TFTP_READ *r = (void *)block;
        memset(r, 0, sizeof *r);
        r->Buffer.offset = (uint16_t)(packet & 15);
        r->Buffer.segment = (uint16_t)(packet >> 4);
        if (pxe_call(PXENV_TFTP_READ, block) != PXENV_EXIT_SUCCESS || r->Status != PXENV_STATUS_SUCCESS) { rc = r->Status ? r->Status : TFTP_ERR_NO_PXE; break; }
        if (r->BufferSize > blksize) { rc = TFTP_ERR_PROTOCOL; break; }
        if (r->PacketNumber != expect) { rc = TFTP_ERR_PROTOCOL; break; }
        expect++;
        uint32_t n = r->BufferSize;
        if (got + n > *cap) {
            if (!grow) { rc = TFTP_ERR_TOO_BIG; break; }
            uint32_t nc = *cap ? *cap : 65536;
            while (nc < got + n) nc *= 2;
            uint8_t *nb = realloc(*buf, nc);
            if (!nb) { rc = TFTP_ERR_TOO_BIG; break; }
            *buf = nb;
            *cap = nc;
        }
        memcpy(*buf + got, (void *)packet, n);
        got += n;
        if (n < blksize) break;
    }
    struct s_PXENV_TFTP_CLOSE *c = (void *)block;
    memset(c, 0, sizeof *c);
    pxe_call(PXENV_TFTP_CLOSE, block);
    *len = got;
    return rc;
}
