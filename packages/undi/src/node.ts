// "@pxe/undi/node": Node-only backends (Linux TAP through socat, pcap files).
export { TapLink, type TapLinkOptions } from "./node/tap-link.js";
export { createPcapFile, type PcapFileWriter } from "./node/pcap-file.js";
export { freeUdpPort, udpPortBound } from "./node/ports.js";
