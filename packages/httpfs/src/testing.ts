// Test helpers of @pxe/httpfs ("@pxe/httpfs/testing").
import fc from "fast-check";

/** Builds an nginx-autoindex-like page listing `names` (for property tests of the index parser). */
export function nginxLikePage(dir: string, entries: readonly { name: string; dir: boolean; size: number }[]): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const enc = (s: string) => encodeURIComponent(s);
  let html = `<html>\n<head><title>Index of ${esc(dir)}</title></head>\n<body>\n<h1>Index of ${esc(dir)}</h1><hr><pre><a href="../">../</a>\n`;
  for (const e of entries) {
    const href = enc(e.name) + (e.dir ? "/" : "");
    html += `<a href="${href}">${esc(e.name)}${e.dir ? "/" : ""}</a>        05-Mar-2024 06:07     ${e.dir ? "-" : e.size}\n`;
  }
  return html + "</pre><hr></body>\n</html>\n";
}

/** Directory entries with awkward names (spaces, &, <, quotes, non-ASCII), unique names. */
export const arbEntries: fc.Arbitrary<{ name: string; dir: boolean; size: number }[]> = fc.uniqueArray(
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(..."abcXYZ019 .-_&<>\"'#?%é日") }).filter((n) => n !== "." && n !== ".." && n.trim() === n && n.length > 0),
    dir: fc.boolean(),
    size: fc.nat(1e12),
  }),
  { selector: (e) => e.name, maxLength: 12 },
);
