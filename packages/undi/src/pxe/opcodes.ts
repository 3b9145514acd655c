/**
 * PXE API opcodes (the BX value of a call), PXE 2.1 numbering.
 * Note: the spec gives PXENV_STOP_UNDI and PXENV_UNDI_GET_STATE the same
 * number, 0x0015; opcodeName() reports it as PXENV_STOP_UNDI.
 */
export const PXENV_START_UNDI = 0x0000;
/** UNDI: initialise the UNDI driver's data. */
export const PXENV_UNDI_STARTUP = 0x0001;
/** UNDI: undo STARTUP. */
export const PXENV_UNDI_CLEANUP = 0x0002;
/** UNDI: initialise the NIC. */
export const PXENV_UNDI_INITIALIZE = 0x0003;
/** UNDI: reset the NIC. */
export const PXENV_UNDI_RESET_ADAPTER = 0x0004;
/** UNDI: shut the NIC down. */
export const PXENV_UNDI_SHUTDOWN = 0x0005;
/** UNDI: open the NIC for transmit and receive with a packet filter. */
export const PXENV_UNDI_OPEN = 0x0006;
/** UNDI: close the NIC. */
export const PXENV_UNDI_CLOSE = 0x0007;
/** UNDI: transmit a frame described by a TBD. */
export const PXENV_UNDI_TRANSMIT = 0x0008;
/** UNDI: set multicast addresses. */
export const PXENV_UNDI_SET_MCAST_ADDRESS = 0x0009;
/** UNDI: set the station (MAC) address. */
export const PXENV_UNDI_SET_STATION_ADDRESS = 0x000a;
/** UNDI: change the receive filter. */
export const PXENV_UNDI_SET_PACKET_FILTER = 0x000b;
/** UNDI: MAC, MTU, IRQ, I/O base, hardware type. */
export const PXENV_UNDI_GET_INFORMATION = 0x000c;
/** UNDI: frame counters. */
export const PXENV_UNDI_GET_STATISTICS = 0x000d;
/** UNDI: zero the frame counters. */
export const PXENV_UNDI_CLEAR_STATISTICS = 0x000e;
/** UNDI: run diagnostics. */
export const PXENV_UNDI_INITIATE_DIAGS = 0x000f;
/** UNDI: make the NIC raise an interrupt. */
export const PXENV_UNDI_FORCE_INTERRUPT = 0x0010;
/** UNDI: map a multicast IP to a MAC. */
export const PXENV_UNDI_GET_MCAST_ADDRESS = 0x0011;
/** UNDI: PCI/PnP identity of the NIC. */
export const PXENV_UNDI_GET_NIC_TYPE = 0x0012;
/** UNDI: NDIS interface type, link speed, service flags. */
export const PXENV_UNDI_GET_IFACE_INFO = 0x0013;
/** UNDI: interrupt service (START / PROCESS / GET_NEXT) — how frames are received. */
export const PXENV_UNDI_ISR = 0x0014;
/** Unload the UNDI driver (shares 0x0015 with PXENV_UNDI_GET_STATE). */
export const PXENV_STOP_UNDI = 0x0015;
/** UNDI: current UNDI state (same number as PXENV_STOP_UNDI in PXE 2.1). */
export const PXENV_UNDI_GET_STATE = 0x0015;
/** TFTP: open a file. */
export const PXENV_TFTP_OPEN = 0x0020;
/** TFTP: close the open file. */
export const PXENV_TFTP_CLOSE = 0x0021;
/** TFTP: read the next packet. */
export const PXENV_TFTP_READ = 0x0022;
/** TFTP/MTFTP: read a whole file into a buffer. */
export const PXENV_TFTP_READ_FILE = 0x0023;
/** TFTP: READ_FILE from protected mode. */
export const PXENV_TFTP_READ_FILE_PMODE = 0x0024;
/** TFTP: size of a file (tsize option). */
export const PXENV_TFTP_GET_FSIZE = 0x0025;
/** UDP: open the base code's UDP. */
export const PXENV_UDP_OPEN = 0x0030;
/** UDP: close it. */
export const PXENV_UDP_CLOSE = 0x0031;
/** UDP: read a datagram. */
export const PXENV_UDP_READ = 0x0032;
/** UDP: write a datagram. */
export const PXENV_UDP_WRITE = 0x0033;
/** Unload the base code stack. */
export const PXENV_UNLOAD_STACK = 0x0070;
/** Get a cached DHCP/BOOTP packet (DISCOVER, ACK or boot server reply). */
export const PXENV_GET_CACHED_INFO = 0x0071;
/** Restart DHCP. */
export const PXENV_RESTART_DHCP = 0x0072;
/** Restart TFTP of a new NBP. */
export const PXENV_RESTART_TFTP = 0x0073;
/** Switch modes. */
export const PXENV_MODE_SWITCH = 0x0074;
/** Start the base code. */
export const PXENV_START_BASE = 0x0075;
/** Stop the base code (UNDI stays). */
export const PXENV_STOP_BASE = 0x0076;

/** AX after a call: success. */
export const PXENV_EXIT_SUCCESS = 0x0000;
/** AX after a call: failure (see the block's status word). */
export const PXENV_EXIT_FAILURE = 0x0001;

const NAMES: Record<number, string> = {
  0x0000: "PXENV_START_UNDI",
  0x0001: "PXENV_UNDI_STARTUP",
  0x0002: "PXENV_UNDI_CLEANUP",
  0x0003: "PXENV_UNDI_INITIALIZE",
  0x0004: "PXENV_UNDI_RESET_ADAPTER",
  0x0005: "PXENV_UNDI_SHUTDOWN",
  0x0006: "PXENV_UNDI_OPEN",
  0x0007: "PXENV_UNDI_CLOSE",
  0x0008: "PXENV_UNDI_TRANSMIT",
  0x0009: "PXENV_UNDI_SET_MCAST_ADDRESS",
  0x000a: "PXENV_UNDI_SET_STATION_ADDRESS",
  0x000b: "PXENV_UNDI_SET_PACKET_FILTER",
  0x000c: "PXENV_UNDI_GET_INFORMATION",
  0x000d: "PXENV_UNDI_GET_STATISTICS",
  0x000e: "PXENV_UNDI_CLEAR_STATISTICS",
  0x000f: "PXENV_UNDI_INITIATE_DIAGS",
  0x0010: "PXENV_UNDI_FORCE_INTERRUPT",
  0x0011: "PXENV_UNDI_GET_MCAST_ADDRESS",
  0x0012: "PXENV_UNDI_GET_NIC_TYPE",
  0x0013: "PXENV_UNDI_GET_IFACE_INFO",
  0x0014: "PXENV_UNDI_ISR",
  0x0015: "PXENV_STOP_UNDI",
  0x0020: "PXENV_TFTP_OPEN",
  0x0021: "PXENV_TFTP_CLOSE",
  0x0022: "PXENV_TFTP_READ",
  0x0023: "PXENV_TFTP_READ_FILE",
  0x0024: "PXENV_TFTP_READ_FILE_PMODE",
  0x0025: "PXENV_TFTP_GET_FSIZE",
  0x0030: "PXENV_UDP_OPEN",
  0x0031: "PXENV_UDP_CLOSE",
  0x0032: "PXENV_UDP_READ",
  0x0033: "PXENV_UDP_WRITE",
  0x0070: "PXENV_UNLOAD_STACK",
  0x0071: "PXENV_GET_CACHED_INFO",
  0x0072: "PXENV_RESTART_DHCP",
  0x0073: "PXENV_RESTART_TFTP",
  0x0074: "PXENV_MODE_SWITCH",
  0x0075: "PXENV_START_BASE",
  0x0076: "PXENV_STOP_BASE",
};

/** The PXE name of an opcode, or "PXENV_0x00NN" for an unknown one. */
export function opcodeName(opcode: number): string {
  return NAMES[opcode] ?? `PXENV_0x${(opcode >>> 0).toString(16).padStart(4, "0")}`;
}
