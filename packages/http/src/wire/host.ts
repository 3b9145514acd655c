/**
 * IPv4 dotted-quad parsing: "10.0.2.2" -> [10,0,2,2], or null when the
 * text is not exactly four decimal parts 0..255 (no octal, no hex).
 */
export function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    if (p.length > 1 && p[0] === "0") return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

/**
 * Parses IPv6 text (with :: compression and an optional trailing dotted
 * IPv4) into eight 16-bit groups, or null when it is not valid.
 */
export function parseIPv6(s: string): number[] | null {
  if (s.length === 0 || s.length > 45) return null;
  let head = s;
  let tail = "";
  const dc = s.indexOf("::");
  if (dc >= 0) {
    if (s.indexOf("::", dc + 1) >= 0) return null;
    head = s.slice(0, dc);
    tail = s.slice(dc + 2);
  }
  const parseGroups = (t: string, allowV4: boolean): number[] | null => {
    if (t === "") return [];
    const g = t.split(":");
    const out: number[] = [];
    for (let i = 0; i < g.length; i++) {
      if (allowV4 && i === g.length - 1 && g[i].indexOf(".") >= 0) {
        const v4 = parseIPv4(g[i]);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g[i])) return null;
        out.push(parseInt(g[i], 16));
      }
    }
    return out;
  };
  const a = parseGroups(head, dc < 0);
  const b = dc >= 0 ? parseGroups(tail, true) : [];
  if (!a || !b) return null;
  if (dc < 0) return a.length === 8 ? a : null;
  if (a.length + b.length > 7) return null;
  const zeros = new Array(8 - a.length - b.length).fill(0);
  return [...a, ...zeros, ...b];
}

/** Formats eight groups as RFC 5952 canonical text (lower case, longest zero run as ::). */
export function formatIPv6(g: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => g.slice(from, to).map((x) => x.toString(16)).join(":");
  if (bestStart < 0) return hex(0, 8);
  return hex(0, bestStart) + "::" + hex(bestStart + bestLen, 8);
}
