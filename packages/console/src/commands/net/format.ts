import { formatIpv4, formatMac, prefixToMask } from "@pxe/ip";

/** Dotted text of an IPv4 address held as a u32; "-" for 0 when `dashForZero`. */
export function ipText(a: number, dashForZero = false): string {
  return dashForZero && a === 0 ? "-" : formatIpv4(a >>> 0);
}

/** "10.0.0.1/24" */
export function cidrText(address: number, prefix: number): string {
  return `${formatIpv4(address >>> 0)}/${prefix}`;
}

/** The netmask of a prefix length as dotted text. */
export function maskText(prefix: number): string {
  return formatIpv4(prefixToMask(prefix) >>> 0);
}

/** MAC as aa:bb:cc:dd:ee:ff ("-" when unknown). */
export function macText(mac: Uint8Array | undefined): string {
  return mac ? formatMac(mac) : "-";
}

/** Milliseconds with a precision that suits the size: "0.412", "12.3", "250". */
export function msText(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 10) return ms.toFixed(3);
  if (ms < 100) return ms.toFixed(2);
  return ms.toFixed(1);
}

/** A duration in seconds for tables: "59s", "4m59s", "2h03m". */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** An IPv4 list as "a, b" or "-". */
export function ipListText(list: readonly number[]): string {
  return list.length ? list.map((a) => formatIpv4(a >>> 0)).join(", ") : "-";
}
