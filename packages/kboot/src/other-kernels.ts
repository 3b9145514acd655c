// The Linux and Multiboot loaders and kernel probing, as the package exports them.
export { readSetupHeader } from "./linux/setup-header.js";
export type { SetupHeader } from "./linux/setup-header.js";
export { encodeBootParams } from "./linux/boot-params.js";
export type { BootParamsInput } from "./linux/boot-params.js";
export { planLinuxBoot, concatInitrds } from "./linux/load.js";
export type { LinuxBootInput, LinuxBootPlan, NamedFile } from "./linux/load.js";
export { BzImageFormatError, BzImageTooOldError, CmdlineTooLongError, protocolText } from "./linux/errors.js";
export { findMultibootHeader, readMultibootHeader } from "./multiboot/header.js";
export type { MultibootHeader, AoutLayout } from "./multiboot/header.js";
export { encodeMultibootInfo } from "./multiboot/info.js";
export type { MultibootInfoInput, MultibootModule } from "./multiboot/info.js";
export { planMultibootBoot } from "./multiboot/load.js";
export type { MultibootBootInput, MultibootBootPlan, MultibootModuleFile } from "./multiboot/load.js";
export { MultibootFormatError, MultibootUnsupportedError } from "./multiboot/errors.js";
export { probeKernel, isBzImage, NotAKernelError } from "./probe.js";
export type { KernelKind } from "./probe.js";
export { lowerMemoryKiB, upperMemoryKiB } from "./e820-info.js";
export { placeBelow, freeRanges } from "./place-below.js";
