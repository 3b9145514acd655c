/**
 * What the default loader does at start-up, before the console takes keys:
 * a boot config looked up over TFTP the way pxelinux does it, then (unless
 * the config booted) FreeBSD's start-up from the DHCP root-path option.
 * Both become console lines, run in order as if typed.
 */
import { tryParseIpv4 } from "@pxe/ip";
import { PxeStatus } from "@pxe/undi";
import type { NbpHost } from "../host-api.js";

/** Directory of the boot configs, beside the boot file (pxelinux: pxelinux.cfg/). */
export const BOOT_CONFIG_DIR = "pxehttp.cfg";

/**
 * The names tried, in order, as pxelinux does: `01-<mac, lower-case hex with
 * dashes>` (01 = ARP type Ethernet), the client IP in upper-case hex
 * shortened one digit at a time (C000025B, C000025, ... C), then `default`.
 */
export function bootConfigNames(mac: Uint8Array, ip: string): string[] {
  const names = [`${BOOT_CONFIG_DIR}/01-${Array.from(mac, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("-")}`];
  const address = tryParseIpv4(ip);
  if (address !== undefined) {
    const hexIp = ("0000000" + address.toString(16).toUpperCase()).slice(-8);
    for (let n = hexIp.length; n >= 1; n--) names.push(`${BOOT_CONFIG_DIR}/${hexIp.slice(0, n)}`);
  }
  names.push(`${BOOT_CONFIG_DIR}/default`);
  return names;
}

/** Console lines of a config file: one command a line; blank lines and `#` comments skipped. */
export function configLines(bytes: Uint8Array): string[] {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** The config found (or not) and what was tried. */
export interface BootConfig {
  /** The name that was found, relative to the boot file's directory. */
  readonly name?: string;
  /** Its console lines. */
  readonly lines: readonly string[];
  /** Why the lookup stopped early (no PXE TFTP, a transfer error), if it did. */
  readonly error?: string;
}

/**
 * Looks the boot config up over the firmware's TFTP (nbp.tftpGet) from the
 * boot server: the first of bootConfigNames() that exists. Must run before
 * the UNDI is opened. A missing config is not an error.
 */
export function findBootConfig(host: NbpHost, mac: Uint8Array, ip: string): BootConfig {
  if (!host.tftpGet) return { lines: [], error: "this pxehttp.0 has no TFTP access (nbp.tftpGet)" };
  for (const name of bootConfigNames(mac, ip)) {
    const r = host.tftpGet(name);
    if (typeof r !== "number") return { name, lines: configLines(r) };
    if (r !== PxeStatus.TFTP_FILE_NOT_FOUND) return { lines: [], error: `TFTP ${name}: PXE status 0x${(r >>> 0).toString(16)}` };
  }
  return { lines: [] };
}

/** An http:// root-path (DHCP option 17) as boot-conf's argument, or undefined. */
export function rootPathUrl(rootPath: string | undefined): string | undefined {
  const p = rootPath?.trim();
  return p && /^http:\/\//i.test(p) ? p : undefined;
}

/** The start-up lines: the config's, then `boot-conf URL` when the root-path is an http:// URL. */
export function startupLines(config: BootConfig, rootPath: string | undefined): string[] {
  const url = rootPathUrl(rootPath);
  return [...config.lines, ...(url ? [`boot-conf ${url}`] : [])];
}

/**
 * A readKey that types `lines` first (each followed by Enter), one line at
 * a time and only while no command runs, so a running command (a countdown
 * waiting for "any key") never sees them; then the real keys.
 */
export function scriptedKeys(lines: readonly string[], readKey: () => number, busy: () => boolean): () => number {
  const queue: number[] = [];
  let next = 0;
  return () => {
    if (queue.length === 0 && next < lines.length && !busy()) {
      const l = lines[next++];
      for (let i = 0; i < l.length; i++) queue.push(l.charCodeAt(i) & 0xff);
      queue.push(13);
    }
    if (queue.length > 0 && !busy()) return queue.shift()!;
    return readKey();
  };
}
