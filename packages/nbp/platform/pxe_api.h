/*
 * The PXE structures and constants the C platform uses, named as iPXE's
 * pxe_api.h / pxe_types.h name them (PXE 2.1 specification). Only what the
 * platform needs. @pxe/undi has the same facts in TypeScript; the test
 * test/pxe-api.test.ts builds fixtures/pxe-api.c and checks every value
 * and offset here equal to them.
 */
#ifndef PXE_API_H
#define PXE_API_H

#include <stdint.h>

/* PXE API opcodes */
#define PXENV_UNDI_ISR 0x0014
#define PXENV_TFTP_OPEN 0x0020
#define PXENV_TFTP_CLOSE 0x0021
#define PXENV_TFTP_READ 0x0022
#define PXENV_GET_CACHED_INFO 0x0071

/* PXENV_EXIT_t (AX after a call) and the PXENV_STATUS_t codes the platform names */
#define PXENV_EXIT_SUCCESS 0x0000
#define PXENV_STATUS_SUCCESS 0x00
#define PXENV_STATUS_TFTP_FILE_NOT_FOUND 0x3b

/* SEGOFF16_t: a real-mode far pointer, offset first */
typedef struct s_SEGOFF16 {
    uint16_t offset;
    uint16_t segment;
} __attribute__((packed)) SEGOFF16_t;

/* The real-mode entry points' places in the two structures the firmware
   points the NBP at (only the fields up to them). */
struct s_PXENV {                     /* "PXENV+" */
    uint8_t Signature[6];
    uint16_t Version;
    uint8_t Length;
    uint8_t Checksum;
    SEGOFF16_t RMEntry;              /* far call with ES:DI = block, BX = opcode */
} __attribute__((packed));

struct s_PXE {                       /* "!PXE" */
    uint8_t Signature[4];
    uint8_t StructLength;
    uint8_t StructCksum;
    uint8_t StructRev;
    uint8_t reserved_1;
    SEGOFF16_t UNDIROMID;
    SEGOFF16_t BaseROMID;
    SEGOFF16_t EntryPointSP;         /* far call with (opcode, offset, segment) pushed */
} __attribute__((packed));

/* PXENV_GET_CACHED_INFO */
#define PXENV_PACKET_TYPE_DHCP_DISCOVER 1
#define PXENV_PACKET_TYPE_DHCP_ACK 2
#define PXENV_PACKET_TYPE_CACHED_REPLY 3

struct s_PXENV_GET_CACHED_INFO {
    uint16_t Status;
    uint16_t PacketType;
    uint16_t BufferSize;
    SEGOFF16_t Buffer;
    uint16_t BufferLimit;
} __attribute__((packed));

/* BOOTPLAYER_t: the fixed part of the BOOTP/DHCP packet GET_CACHED_INFO
   points at (the vendor/options area follows it). */
struct bootph {
    uint8_t opcode, Hardware, Hardlen, Gatehops;
    uint32_t ident;
    uint16_t seconds, Flags;
    uint32_t cip, yip, sip, gip;     /* IP4_t, network order; sip: the boot (TFTP) server */
    uint8_t CAddr[16];
    uint8_t Sname[64];
    uint8_t bootfile[128];
} __attribute__((packed));

/* PXENV_TFTP_OPEN / READ / CLOSE */
struct s_PXENV_TFTP_OPEN {
    uint16_t Status;
    uint32_t ServerIPAddress;        /* IP4_t */
    uint32_t GatewayIPAddress;
    uint8_t FileName[128];
    uint16_t TFTPPort;               /* UDP_PORT_t, network order */
    uint16_t PacketSize;
} __attribute__((packed));

struct s_PXENV_TFTP_READ {
    uint16_t Status;
    uint16_t PacketNumber;
    uint16_t BufferSize;
    SEGOFF16_t Buffer;
} __attribute__((packed));

struct s_PXENV_TFTP_CLOSE {
    uint16_t Status;
} __attribute__((packed));

/* PXENV_UNDI_ISR: FuncFlag values in and out */
#define PXENV_UNDI_ISR_IN_START 1
#define PXENV_UNDI_ISR_IN_PROCESS 2
#define PXENV_UNDI_ISR_IN_GET_NEXT 3
#define PXENV_UNDI_ISR_OUT_OURS 0
#define PXENV_UNDI_ISR_OUT_NOT_OURS 1
#define PXENV_UNDI_ISR_OUT_DONE 0
#define PXENV_UNDI_ISR_OUT_TRANSMIT 2
#define PXENV_UNDI_ISR_OUT_RECEIVE 3
#define PXENV_UNDI_ISR_OUT_BUSY 4

struct s_PXENV_UNDI_ISR {
    uint16_t Status;
    uint16_t FuncFlag;
    uint16_t BufferLength;           /* bytes of this piece at Frame */
    uint16_t FrameLength;            /* bytes of the whole frame */
    uint16_t FrameHeaderLength;
    SEGOFF16_t Frame;
    uint8_t ProtType;
    uint8_t PktType;
} __attribute__((packed));

#endif
