import { percentDecodeBytes } from "@pxe/http";
import { utf8 } from "@pxe/core";
import { extractAnchors } from "./html.js";
import type { ShownTime } from "./fields.js";
import { findSize, findTime } from "./fields.js";

/** Servers whose index pages we recognise. */
export type IndexFormat = "nginx" | "apache" | "lighttpd" | "python" | "unknown";

/** One entry of a directory listing. */
export interface DirEntry {
  /** File or directory name, decoded (UTF-8), without a trailing slash. */
  readonly name: string;
  /** The href as the page has it (relative to the directory). */
  readonly href: string;
  /** "directory" when the href ends in "/". */
  readonly type: "file" | "directory";
  /** Size in bytes when the page shows one (null for "-" or none). */
  readonly size: number | null;
  /** True when the page rounded the size (e.g. "4.7M"). */
  readonly sizeApproximate: boolean;
  /** Modification time when shown. */
  readonly mtime: ShownTime | null;
}

/** A parsed directory index page. */
export interface DirectoryIndex {
  /** Which server's format it looks like. */
  readonly format: IndexFormat;
  /** The entries, in page order, parent and sort links removed. */
  readonly entries: DirEntry[];
}

/** Guesses which server produced an index page. */
export function detectFormat(html: string): IndexFormat {
  if (/<title>\s*Directory listing for /i.test(html)) return "python";
  if (/<div class="foot">lighttpd|summary="Directory Listing"|<div class="list">/i.test(html)) return "lighttpd";
  if (/href="\?C=[NMSD];O=[AD]"|>\s*Parent Directory\s*</i.test(html)) return "apache";
  if (/<title>\s*Index of [^<]*<\/title>/i.test(html) && /<pre><a href="\.\.\/">\.\.\/<\/a>|<h1>\s*Index of[^<]*<\/h1>\s*<hr>\s*<pre>/i.test(html)) return "nginx";
  return "unknown";
}

/** Decodes a path segment's percent-escapes as UTF-8 (lenient). */
export function decodeName(seg: string): string {
  return utf8(percentDecodeBytes(seg));
}

/**
 * Parses a directory index page of nginx autoindex, Apache mod_autoindex
 * (fancy or plain), lighttpd mod_dirlisting or python http.server, and
 * tolerates others: every link to a direct child of the directory becomes
 * an entry; parent, sort ("?C=N;O=D"), absolute and off-site links are
 * ignored. Names come from the href (the text may be truncated, as nginx
 * does past 50 characters). `dirPath` (the directory's URL path, e.g.
 * "/pub/") lets absolute hrefs into the directory count too.
 */
export function parseIndex(html: string, dirPath?: string): DirectoryIndex {
  const format = detectFormat(html);
  const entries: DirEntry[] = [];
  const seen = new Set<string>();
  const dir = dirPath === undefined ? null : dirPath.endsWith("/") ? dirPath : dirPath + "/";
  for (const a of extractAnchors(html)) {
    let href = a.href.trim();
    if (href === "" || href.startsWith("?") || href.startsWith("#") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(href) || href.startsWith("//")) continue;
    href = href.replace(/[?#].*$/, "");
    let rel = href;
    if (rel.startsWith("/")) {
      if (dir === null || !rel.startsWith(dir) || rel === dir) continue;
      rel = rel.slice(dir.length);
    }
    if (rel.startsWith("./")) rel = rel.slice(2);
    const isDir = rel.endsWith("/");
    const seg = isDir ? rel.slice(0, -1) : rel;
    if (seg === "" || seg === "." || seg === ".." || seg.indexOf("/") >= 0) continue;
    const name = decodeName(seg);
    if (name === "" || name === "." || name === ".." || seen.has(name)) continue;
    seen.add(name);
    const t = findTime(a.after);
    const sz = findSize(t ? t.rest : a.after);
    entries.push({
      name,
      href: a.href,
      type: isDir ? "directory" : "file",
      size: isDir ? null : sz ? sz.bytes : null,
      sizeApproximate: !isDir && sz !== null && sz.approximate,
      mtime: t ? t.time : null,
    });
  }
  return { format, entries };
}
