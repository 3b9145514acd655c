/**
 * Number formatting for sizes, rates and durations, shared by `mem`,
 * `stats` and the progress bar. Sizes use binary units (KiB = 1024 bytes);
 * rates use decimal MB/s (10^6 bytes per second), the unit the project's
 * throughput figures are quoted in.
 */

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * Formats a byte count: "512 B", "1.5 KiB", "12.3 MiB", "2.00 GiB".
 * Three significant digits from KiB up.
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "? B";
  const neg = n < 0;
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < BINARY.length - 1) {
    v /= 1024;
    u++;
  }
  const s = u === 0 ? String(Math.round(v)) : sig3(v);
  return `${neg ? "-" : ""}${s} ${BINARY[u]}`;
}

/** Formats bytes per second as decimal MB/s, or kB/s below 1 MB/s: "5.20 MB/s", "830 kB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return "-- MB/s";
  if (bytesPerSecond < 1e6) return `${sig3(bytesPerSecond / 1e3)} kB/s`;
  return `${sig3(bytesPerSecond / 1e6)} MB/s`;
}

/**
 * Formats a duration in seconds as "m:ss" or "h:mm:ss" (rounded to whole
 * seconds); "--:--" when unknown (not finite or negative).
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const t = Math.round(seconds);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  const ss = s < 10 ? `0${s}` : String(s);
  if (h > 0) return `${h}:${m < 10 ? `0${m}` : m}:${ss}`;
  return `${m}:${ss}`;
}

/** A whole percentage 0..100 of `done` out of `total` (floor; 100 only when done >= total). */
export function formatPercent(done: number, total: number): string {
  if (!(total > 0)) return "--%";
  const p = done >= total ? 100 : Math.min(99, Math.floor((done * 100) / total));
  return `${Math.max(0, p)}%`;
}

/** Three significant digits, no exponent: 1.23, 12.3, 123, 1234 stays 1234. */
function sig3(v: number): string {
  if (v >= 99.95) return String(Math.round(v));
  if (v >= 9.995) return v.toFixed(1);
  return v.toFixed(2);
}
