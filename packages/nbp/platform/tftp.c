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

/* Names as iPXE's pxe_api.h has them. */
#define PXENV_TFTP_OPEN 0x0020
#define PXENV_TFTP_CLOSE 0x0021
#define PXENV_TFTP_READ 0x0022
#define PXENV_GET_CACHED_INFO 0x0071
#define PXENV_PACKET_TYPE_DHCP_ACK 2
#define PXENV_PACKET_TYPE_CACHED_REPLY 3

struct s_PXENV_GET_CACHED_INFO {
    uint16_t Status, PacketType, BufferSize;
    uint16_t BufferOff, BufferSeg;   /* SEGOFF16_t Buffer */
    uint16_t BufferLimit;
} __attribute__((packed));

struct s_PXENV_TFTP_OPEN {
    uint16_t Status;
    uint32_t ServerIPAddress, GatewayIPAddress;
    uint8_t FileName[128];
    uint16_t TFTPPort;               /* network order */
    uint16_t PacketSize;
} __attribute__((packed));

struct s_PXENV_TFTP_READ {
    uint16_t Status, PacketNumber, BufferSize;
    uint16_t BufferOff, BufferSeg;   /* SEGOFF16_t Buffer */
} __attribute__((packed));

#define BLKSIZE_WANTED 1432          /* fits one Ethernet frame with IP/UDP/TFTP headers */
#define BLKSIZE_MAX 2048

static uint32_t block;               /* parameter block (real-mode reachable) */
static uint32_t packet;              /* one packet's data */
static uint32_t server;              /* network order, as the BOOTP field */
static char bootdir[128];            /* boot file's directory, with a trailing '/' or empty */
static char bootfile[128];

/* The BOOTP packet the firmware cached for `type`, or 0. */
static uint32_t cached(uint16_t type) {
    struct s_PXENV_GET_CACHED_INFO *c = (void *)block;
    memset(c, 0, sizeof *c);
    c->PacketType = type;
    if (pxe_call(PXENV_GET_CACHED_INFO, block) != 0 || c->Status != 0) return 0;
    if (c->BufferSize < 236) return 0;
    return ((uint32_t)c->BufferSeg << 4) + c->BufferOff;
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
        uint32_t p = cached(order[i]);
        if (!p) continue;
        uint32_t siaddr;
        memcpy(&siaddr, (void *)(p + 20), 4);
        if (!server && siaddr) server = siaddr;
        if (!bootfile[0] && *(char *)(p + 108)) {
            memcpy(bootfile, (void *)(p + 108), 127);
            bootfile[127] = 0;
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
 * *len, or a PXE status (e.g. 0x3B file not found), or TFTP_ERR_*.
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
    o->TFTPPort = (uint16_t)((69 >> 8) | (69 << 8));
    o->PacketSize = BLKSIZE_WANTED;
    if (pxe_call(PXENV_TFTP_OPEN, block) != 0 || o->Status != 0) return o->Status ? o->Status : TFTP_ERR_NO_PXE;
    uint32_t blksize = o->PacketSize;
    if (blksize < 512 || blksize > BLKSIZE_MAX) blksize = 512;
    int rc = 0;
    uint32_t got = 0;
    uint16_t expect = 1;
    for (;;) {
        struct s_PXENV_TFTP_READ *r = (void *)block;
        memset(r, 0, sizeof *r);
        r->BufferOff = (uint16_t)(packet & 15);
        r->BufferSeg = (uint16_t)(packet >> 4);
        if (pxe_call(PXENV_TFTP_READ, block) != 0 || r->Status != 0) { rc = r->Status ? r->Status : TFTP_ERR_NO_PXE; break; }
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
    memset((void *)block, 0, 2);
    pxe_call(PXENV_TFTP_CLOSE, block);
    *len = got;
    return rc;
}
