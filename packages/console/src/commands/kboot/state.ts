import { FreeBsdBoot, LoaderConf, type Booter, type E820Entry, type MemRange } from "@pxe/kboot";
import { parseUrl, resolveUrl, serializeUrl, type HttpUrl } from "@pxe/http";
import { UsageError } from "../../errors.js";
import type { Settings } from "../settings.js";
import type { NetworkPlugin } from "../net/plugin.js";
import type { NetState } from "../net/state.js";
import { LoaderCommandError, NoBooterError } from "./errors.js";
import type { OtherKernel } from "./other-files.js";

/** What the platform says about memory, for laying the image out. */
export interface BootMemory {
  /** The BIOS E820 map (pxehttp.0: parseE820(host.e820())). */
  readonly e820: readonly E820Entry[];
  /** Memory no piece may be planned into (pxehttp.0: reservedRanges()). */
  readonly reserved: readonly MemRange[];
}

/** Options of {@link kbootCommands}. */
export interface KbootCommandsOptions {
  /** The network commands' plugin: its HTTP client (proxy, timeouts) downloads every file. */
  readonly network: NetworkPlugin;
  /** Starts a BootImage (pxehttp.0's bootImage); without it `boot` builds the image and says it cannot start it. */
  readonly booter?: Booter;
  /** The E820 map and reserved ranges, read when `boot` lays the image out; required to boot. */
  readonly memory?: () => BootMemory;
  /** Initial `boot.base`: the URL of a directory holding a FreeBSD boot/ tree (e.g. from DHCP's root-path). */
  readonly base?: string;
}

/** The console setting holding the base URL relative paths resolve against. */
export const BOOT_BASE = "boot.base";

/** One file as `load` brought it in. */
export interface LoadedEntry {
  /** How it is added: the kernel, an ELF module, or a raw file of `type`. */
  readonly kind: "kernel" | "module" | "file";
  /** Its name for the kernel (MODINFO_NAME), e.g. "/boot/kernel/kernel". */
  readonly name: string;
  /** Type of a raw file (md_image ...). */
  readonly type?: string;
  /** Arguments (MODINFO_ARGS). */
  readonly args?: string;
  /** The bytes (inflated). */
  readonly data: Uint8Array;
  /** Where it came from (without credentials, for messages). */
  readonly url: string;
  /** Where it came from. */
  readonly source: HttpUrl;
}

/**
 * The loader's state on the console: the environment and module table
 * (loader.conf and `set`), the files loaded, and the FreeBsdBoot that
 * holds them for the kernel. Files are kept as entries too, so a failed
 * `load` (a dependency missing, say) is taken back whole.
 */
export class LoaderState {
  /** kenv and the module table. */
  conf = new LoaderConf();
  /** The kernel and files, as @pxe/kboot lays them out. */
  fb = new FreeBsdBoot();
  /** What was loaded, in order. */
  readonly entries: LoadedEntry[] = [];
  /** A Linux or Multiboot kernel (`linux`, `multiboot`) instead of FreeBSD files; `boot` boots it. */
  other?: OtherKernel;

  constructor(
    readonly opts: KbootCommandsOptions,
    readonly settings: Settings,
  ) {}

  /** The network state (HTTP client); LoaderCommandError before the network plugin was applied. */
  net(command: string): NetState {
    const s = this.opts.network.state();
    if (!s) throw new LoaderCommandError(command, "no network on this console");
    return s;
  }

  /** The base URL, if set. */
  base(): HttpUrl | undefined {
    const b = this.settings.get(BOOT_BASE);
    return b ? parseUrl(b) : undefined;
  }

  /**
   * A URL for `ref`: a full http:// URL as it is; a path ("/boot/kernel/kernel",
   * "boot/loader.conf") against boot.base.
   */
  resolve(command: string, ref: string): HttpUrl {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(ref)) {
      try {
        return parseUrl(ref);
      } catch (e) {
        throw new UsageError(command, `bad URL '${ref}': ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const base = this.base();
    if (!base) throw new UsageError(command, `'${ref}' is a path, but there is no base URL: 'set ${BOOT_BASE}=http://SERVER/DIR/' (the directory holding boot/) or give a full URL`);
    return resolveUrl(base, ref.replace(/^\/+/, ""));
  }

  /** The name a file gets for the kernel: its path under boot.base ("/boot/kernel/kernel"), else the URL's path; ".gz" dropped. */
  nameFor(url: HttpUrl): string {
    const base = this.base();
    const full = serializeUrl(url);
    let name = url.path;
    if (base) {
      const b = serializeUrl(base);
      if (full.indexOf(b) === 0) name = `/${full.slice(b.length)}`;
    }
    return name.replace(/\.gz$/, "");
  }

  /** Adds one entry to the FreeBsdBoot (throws @pxe/kboot's errors) and records it. */
  add(e: LoadedEntry): void {
    addTo(this.fb, e);
    if (e.kind === "kernel") this.other = undefined;
    this.entries.push(e);
  }

  /** Keeps the first `n` entries and forgets the rest (rebuilding the FreeBsdBoot from them). */
  truncate(n: number): void {
    if (n >= this.entries.length) return;
    this.entries.length = n;
    this.fb = new FreeBsdBoot();
    for (const e of this.entries) addTo(this.fb, e);
  }

  /** Forgets every file. */
  unloadAll(): void {
    this.entries.length = 0;
    this.fb = new FreeBsdBoot();
    this.other = undefined;
  }

  /**
   * The platform's memory for `boot` to lay the image out against:
   * NoBooterError on a console that cannot boot at all, LoaderCommandError
   * when the platform gave no E820 map.
   */
  bootMemory(): BootMemory {
    const memory = this.opts.memory?.();
    if (memory) return memory;
    if (!this.opts.booter) throw new NoBooterError();
    throw new LoaderCommandError("boot", "the platform gave no memory map (E820) to lay the image out");
  }
}

function addTo(fb: FreeBsdBoot, e: LoadedEntry): void {
  if (e.kind === "kernel") fb.addKernel(e.name, e.data, e.args);
  else if (e.kind === "module") fb.addModule(e.name, e.data, e.args);
  else fb.addFile(e.name, e.type ?? "", e.data, e.args);
}
