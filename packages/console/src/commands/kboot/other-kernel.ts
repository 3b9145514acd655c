// Linux and Multiboot kernels on the loader console (GRUB's and iPXE's
// `linux`/`initrd`, `multiboot`/`module`): what is loaded, and `boot`'s work
// for them. They share the loader's state with FreeBSD's `load`: loading one
// kind of kernel forgets the other.
import { displayUrl, type HttpUrl } from "@pxe/http";
import { planLinuxBoot, planMultibootBoot, probeKernel, type BootImage, type KernelKind } from "@pxe/kboot";
import type { CommandContext } from "../types.js";
import { LoaderCommandError, loaderStep, NoBooterError } from "./errors.js";
import { fetchFirst } from "./fetch-file.js";
import type { LoaderState } from "./state.js";
import type { OtherFile, OtherKernel } from "./other-files.js";

export type { OtherFile, OtherKernel } from "./other-files.js";

const USE: Record<KernelKind, string> = { linux: "linux URL [CMDLINE]", multiboot: "multiboot URL [CMDLINE]", freebsd: "load URL" };
const WHAT: Record<KernelKind, string> = { linux: "a Linux bzImage", multiboot: "a Multiboot kernel", freebsd: "a FreeBSD kernel" };

/** Downloads `ref` with the progress bar (inflating gzip only when `inflate`); the URL as shown and the bytes. */
export async function fetchOther(state: LoaderState, ctx: CommandContext, command: string, what: string, ref: string, inflate: boolean): Promise<{ url: string; source: HttpUrl; data: Uint8Array }> {
  const f = await fetchFirst(state, ctx, command, what, [ref], undefined, { inflate });
  return { url: displayUrl(f.url), source: f.url, data: f.data };
}

/** Checks that `data` is a kernel of `want` (by its own bytes); LoaderCommandError saying which command fits otherwise. */
export function checkKind(command: string, url: string, data: Uint8Array, want: KernelKind): void {
  const kind = loaderStep(command, () => probeKernel(data, url));
  if (kind !== want) throw new LoaderCommandError(command, `${url} is ${WHAT[kind]}, not ${WHAT[want]}: use '${USE[kind]}'`);
}

/** Plans the image for the loaded Linux or Multiboot kernel against the platform's memory (LoaderCommandError when it does not fit). */
export function buildOther(state: LoaderState, other: OtherKernel): BootImage {
  const memory = state.bootMemory();
  const file = (f: OtherFile) => ({ name: f.url, data: f.data });
  return loaderStep("boot", () => {
    if (other.kind === "linux") {
      return planLinuxBoot({ kernel: file(other.kernel), initrds: other.extras.map(file), cmdline: other.kernel.args, e820: memory.e820, reserved: memory.reserved }).image;
    }
    return planMultibootBoot({
      kernel: file(other.kernel), cmdline: other.kernel.args, modules: other.extras.map((m) => ({ ...file(m), string: m.args })),
      e820: memory.e820, reserved: memory.reserved,
    }).image;
  });
}

/** `boot` for a Linux or Multiboot kernel: no FreeBSD flags; lays the image out and hands it to the Booter. */
export async function bootOther(state: LoaderState, other: OtherKernel, ctx: CommandContext, args: readonly string[]): Promise<void> {
  if (args.length > 0) throw new LoaderCommandError("boot", `'${args.join(" ")}': a ${other.kind === "linux" ? "Linux" : "Multiboot"} kernel takes no boot flags (give its command line to '${other.kind}')`);
  const image = buildOther(state, other);
  if (!state.opts.booter) throw new NoBooterError();
  const n = other.extras.length;
  const extra = other.kind === "linux" ? "initrd" : "module";
  ctx.out.line(`booting ${other.kind} ${other.kernel.url} (${n} ${extra}${n === 1 ? "" : "s"}) ...`);
  await state.opts.booter(image);
}

/** lsmod's rows for a Linux or Multiboot kernel. */
export function otherRows(other: OtherKernel): string[][] {
  const extra = other.kind === "linux" ? "initrd" : "module";
  return [
    [`${other.kind} kernel`, String(other.kernel.data.length), other.kernel.url, other.kernel.args],
    ...other.extras.map((f) => [extra, String(f.data.length), f.url, other.kind === "multiboot" ? f.args : ""]),
  ];
}

/** For FreeBSD's `load`: a Linux or Multiboot kernel is refused with the command that boots it (other files are left to the ELF loader). */
export function refuseOtherKernel(command: string, url: string, data: Uint8Array): void {
  let kind: KernelKind;
  try {
    kind = probeKernel(data, url);
  } catch {
    return;
  }
  if (kind !== "freebsd") throw new LoaderCommandError(command, `${url} is ${WHAT[kind]}, not a FreeBSD kernel: use '${USE[kind]}'`);
}
