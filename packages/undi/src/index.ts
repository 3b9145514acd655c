// @pxe/undi: the link-driver interface, the PXE API in TypeScript, and the
// real-mode, simulated and pcap-replay backends. Node-only code: "@pxe/undi/node".
export type { LinkDriver, PacketFilter, LinkInfo, LinkStatistics } from "./link.js";
export type { PxeCallPort } from "./pxe-port.js";
export { LinkError, PxeCallError, PcapError } from "./errors.js";
export * from "./pxe/index.js";
export { UndiLink, type UndiLinkOptions, type UndiInfo, type UndiCounters } from "./realmode/undi-link.js";
export { Reassembly } from "./realmode/reassembly.js";
