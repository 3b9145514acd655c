// "@pxe/undi/testing": fast-check arbitraries for PXE structures, parameter
// blocks, Ethernet frames and cached DHCP packets, and the simulated PXE firmware.
export * from "./testing/arbitraries.js";
export { pxeBlockCases, arbMcastList } from "./testing/block-arbitraries.js";
export { SimPxeFirmware, SIM_LAYOUT, type SimFirmwareOptions, type SimCall, type UndiState } from "./simfw/firmware.js";
export { RealModeMemory } from "./simfw/memory.js";
export { defaultDhcpAck } from "./simfw/default-dhcp.js";
export { FirmwareWire } from "./simfw/wire.js";
