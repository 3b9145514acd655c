/** One <a href> element found in a page. */
export interface Anchor {
  /** The href attribute, entities decoded. */
  readonly href: string;
  /** The link text, tags stripped, entities decoded, trimmed. */
  readonly text: string;
  /** Text after the link up to the next link or end of row/line, tags stripped (sizes and dates live here). */
  readonly after: string;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/** Decodes the HTML character references that index pages use (named basics and numeric). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000) ? String.fromCodePoint(cp) : m;
    }
    const v = NAMED[e.toLowerCase()];
    return v === undefined ? m : v;
  });
}

function stripTags(s: string): string {
  return s.replace(/<!--[^]*?-->/g, "").replace(/<[^>]*>/g, " ");
}

/**
 * Finds every <a href=...>...</a> in `html`, tolerant of attribute order,
 * quoting ('', "" or none), case and whitespace. Script and style
 * contents are ignored.
 */
export function extractAnchors(html: string): Anchor[] {
  const clean = html.replace(/<(script|style)\b[^]*?<\/\1\s*>/gi, " ");
  const out: Anchor[] = [];
  const re = /<a\b([^>]*)>([^]*?)<\/a\s*>/gi;
  const found: { href: string; text: string; end: number; start: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(clean)) !== null) {
    const h = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(m[1]);
    if (!h) continue;
    const href = decodeEntities(h[1] ?? h[2] ?? h[3] ?? "");
    found.push({ href, text: decodeEntities(stripTags(m[2])).replace(/\s+/g, " ").trim(), start: m.index, end: m.index + m[0].length });
  }
  for (let i = 0; i < found.length; i++) {
    const limit = i + 1 < found.length ? found[i + 1].start : clean.length;
    let tail = clean.slice(found[i].end, limit);
    const stop = tail.search(/\n|<\/tr\s*>|<\/li\s*>/i);
    if (stop >= 0) tail = tail.slice(0, stop);
    out.push({ href: found[i].href, text: found[i].text, after: decodeEntities(stripTags(tail)).replace(/\s+/g, " ").trim() });
  }
  return out;
}
