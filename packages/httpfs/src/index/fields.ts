const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** A modification time as an index page shows it, and parsed (read as UTC). */
export interface ShownTime {
  /** The text on the page, e.g. "05-Mar-2024 06:07". */
  readonly text: string;
  /** Milliseconds since the epoch, reading the text as UTC. */
  readonly ms: number;
}

/**
 * Finds a date in the text after a link: nginx "05-Mar-2024 06:07",
 * Apache "2024-03-05 06:07", lighttpd "2024-Mar-05 06:07:08". Returns the
 * time and the text that follows it, or null.
 */
export function findTime(s: string): { time: ShownTime; rest: string } | null {
  const pats: [RegExp, (m: RegExpExecArray) => [number, number, number]][] = [
    [/(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?/, (m) => [Number(m[3]), MONTHS.indexOf(m[2].toLowerCase()), Number(m[1])]],
    [/(\d{4})-([A-Za-z]{3})-(\d{1,2}) (\d{2}):(\d{2})(?::(\d{2}))?/, (m) => [Number(m[1]), MONTHS.indexOf(m[2].toLowerCase()), Number(m[3])]],
    [/(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?/, (m) => [Number(m[1]), Number(m[2]) - 1, Number(m[3])]],
  ];
  for (const [re, ymd] of pats) {
    const m = re.exec(s);
    if (!m) continue;
    const [y, mo, d] = ymd(m);
    if (mo < 0 || mo > 11 || d < 1 || d > 31) continue;
    const ms = Date.UTC(y, mo, d, Number(m[4]), Number(m[5]), m[6] ? Number(m[6]) : 0);
    return { time: { text: m[0], ms }, rest: s.slice(m.index + m[0].length) };
  }
  return null;
}

/** A size as shown: exact bytes, or a rounded human size ("4.7M"). */
export interface ShownSize {
  /** Bytes (exact, or the human size times its unit). */
  readonly bytes: number;
  /** True when the page rounded it (K/M/G suffix). */
  readonly approximate: boolean;
}

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

/** Finds the first size token ("123456", "121K", "4.7M", "0.1K"; "-" = none) in `s`. */
export function findSize(s: string): ShownSize | null {
  const m = /(?:^|\s)(\d+(?:\.\d+)?)([KMGTP])?(?:i?B)?(?=\s|$)/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  if (!m[2]) return Number.isSafeInteger(n) ? { bytes: n, approximate: false } : null;
  return { bytes: Math.round(n * UNITS[m[2]]), approximate: true };
}
