// @pxe/undi: the link-driver interface, the PXE API in TypeScript, and the
// real-mode, simulated and pcap-replay backends. Node-only code: "@pxe/undi/node".
export type { LinkDriver, PacketFilter, LinkInfo, LinkStatistics } from "./link.js";
export type { PxeCallPort } from "./pxe-port.js";
export { IsrLoopFlag, IsrLoopState, ISR_LOOP_STATE_WORDS } from "./pxe-port.js";
export { LinkError, PxeCallError, PcapError } from "./errors.js";
export * from "./pxe/index.js";
export { UndiLink, type UndiLinkOptions, type UndiInfo, type UndiCounters } from "./realmode/undi-link.js";
export { Reassembly } from "./realmode/reassembly.js";
export { unloadPxe, type UnloadStep } from "./realmode/unload.js";
export { undiInformation, undiNicType, undiIfaceInfo, undiStatistics, cachedPacket, cachedDhcp } from "./realmode/facts.js";
export { passesFilter, macToString } from "./filter.js";
export { ImpairedQueue, zeroCounters, type Impairments, type ImpairmentCounters } from "./sim/impairments.js";
export { SimLink, SimEndpoint, createSimLinkPair, type SimLinkOptions } from "./sim/sim-link.js";
export { ImpairedLink, type ImpairedLinkOptions } from "./sim/impaired-link.js";
export { TracingLink, describeFrame, lineTracer, type TraceEvent } from "./sim/tracing-link.js";
export {
  pcapCodec, parsePcap, encodePcapHeader, encodePcapRecord, recordTimeMs, LINKTYPE_ETHERNET, PCAP_MAGIC_US, PCAP_MAGIC_NS,
  type PcapFile, type PcapRecord,
} from "./pcap/format.js";
export { PcapWriter, type PcapWriterOptions } from "./pcap/writer.js";
export { PcapLink } from "./pcap/pcap-link.js";
export { ReplayLink, type ReplayLinkOptions } from "./pcap/replay-link.js";
