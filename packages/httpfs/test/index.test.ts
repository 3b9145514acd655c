import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { parseIndex, decodeEntities, extractAnchors } from "@pxe/httpfs";
import type { DirEntry } from "@pxe/httpfs";
import { arbEntries, nginxLikePage } from "@pxe/httpfs/testing";

const fixture = (n: string) => readFileSync(new URL(`./fixtures/${n}`, import.meta.url), "utf8");
const LONG = "a-very-long-file-name-that-is-longer-than-fifty-characters.bin";
const NAMES = ["a b&c.txt", LONG, "empty", "kernel", "mfsroot.gz", 'quote"d<tag>.txt', "small.txt", "sub dir", "ünïcödé.txt"].sort();
const DIRS = ["empty", "sub dir"];
const T = Date.UTC(2024, 2, 5, 6, 7);

function byName(entries: DirEntry[]): Record<string, DirEntry> {
  return Object.fromEntries(entries.map((e) => [e.name, e]));
}
function checkNamesAndTypes(entries: DirEntry[]): void {
  expect(entries.map((e) => e.name).sort()).toEqual(NAMES);
  for (const e of entries) expect(e.type, e.name).toBe(DIRS.includes(e.name) ? "directory" : "file");
}

describe("directory index pages captured from real servers", () => {
  it("nginx autoindex (exact sizes): names from hrefs (text truncated), sizes, dates", () => {
    const idx = parseIndex(fixture("nginx.html"), "/dir/");
    expect(idx.format).toBe("nginx");
    checkNamesAndTypes(idx.entries);
    const m = byName(idx.entries);
    expect(m.kernel).toMatchObject({ size: 123456, sizeApproximate: false });
    expect(m["mfsroot.gz"].size).toBe(5000000);
    expect(m["small.txt"].size).toBe(6);
    expect(m[LONG].size).toBe(1);
    expect(m.kernel.mtime).toEqual({ text: "05-Mar-2024 06:07", ms: T });
    expect(m.empty.size).toBeNull();
  });
  it("nginx autoindex (human sizes)", () => {
    const idx = parseIndex(fixture("nginx-human.html"), "/dir/");
    expect(idx.format).toBe("nginx");
    checkNamesAndTypes(idx.entries);
    const m = byName(idx.entries);
    expect(m.kernel).toMatchObject({ size: 121 * 1024, sizeApproximate: true });
    expect(m["mfsroot.gz"]).toMatchObject({ size: 5 * 1024 * 1024, sizeApproximate: true });
    expect(m["small.txt"]).toMatchObject({ size: 6, sizeApproximate: false });
  });
  it("Apache mod_autoindex, FancyIndexing: sort and Parent Directory links ignored", () => {
    const idx = parseIndex(fixture("apache-fancy.html"), "/dir/");
    expect(idx.format).toBe("apache");
    checkNamesAndTypes(idx.entries);
    const m = byName(idx.entries);
    expect(m["small.txt"]).toMatchObject({ size: 6, sizeApproximate: false });
    expect(m.kernel).toMatchObject({ size: 121 * 1024, sizeApproximate: true });
    expect(m["mfsroot.gz"]).toMatchObject({ size: Math.round(4.8 * 1024 * 1024), sizeApproximate: true });
    expect(m.kernel.mtime).toEqual({ text: "2024-03-05 06:07", ms: T });
  });
  it("Apache mod_autoindex, plain list", () => {
    const idx = parseIndex(fixture("apache.html"), "/dir/");
    expect(idx.format).toBe("apache");
    checkNamesAndTypes(idx.entries);
    for (const e of idx.entries) expect(e.size).toBeNull();
  });
  it("lighttpd mod_dirlisting", () => {
    const idx = parseIndex(fixture("lighttpd.html"), "/dir/");
    expect(idx.format).toBe("lighttpd");
    checkNamesAndTypes(idx.entries);
    const m = byName(idx.entries);
    expect(m.kernel).toMatchObject({ size: Math.round(120.5 * 1024), sizeApproximate: true });
    expect(m.kernel.mtime).toEqual({ text: "2024-Mar-05 06:07:08", ms: T + 8000 });
    expect(m["sub dir"].size).toBeNull();
  });
  it("python http.server", () => {
    const idx = parseIndex(fixture("python.html"), "/dir/");
    expect(idx.format).toBe("python");
    checkNamesAndTypes(idx.entries);
    for (const e of idx.entries) expect(e.mtime).toBeNull();
  });
  it("busybox httpd has no built-in listing: its 404 page is not an index", () => {
    const idx = parseIndex(fixture("busybox.html"), "/dir/");
    expect(idx).toEqual({ format: "unknown", entries: [] });
  });
});

describe("tolerant HTML extraction", () => {
  it("decodes entities and handles odd quoting and attribute order", () => {
    expect(decodeEntities("a&amp;b&#x26;c&#39;&lt;&unknown;&#0;")).toBe("a&b&c'<&unknown;&#0;");
    const a = extractAnchors(`<A class=x HREF='one%20two'>One</A> 12 <a href=three>3</a>\n<a name="x">no href</a><script>"<a href='no'>"</script>`);
    expect(a.map((x) => x.href)).toEqual(["one%20two", "three"]);
    expect(a[0].after).toBe("12");
  });
  it("ignores parent, sort, absolute, off-site and fragment links", () => {
    const html = `<a href="../">up</a><a href="?C=N;O=D">sort</a><a href="/">root</a><a href="http://x/y">ext</a><a href="//x/y">ext</a><a href="#top">top</a><a href="/pub/in-dir">in</a><a href="./dot">d</a><a href="deep/er/x">deep</a>`;
    expect(parseIndex(html, "/pub/").entries.map((e) => e.name)).toEqual(["in-dir", "dot"]);
  });
  it("recovers names, types and sizes of any nginx-like listing (property)", () => {
    fc.assert(
      fc.property(arbEntries, (entries) => {
        const idx = parseIndex(nginxLikePage("/x/", entries), "/x/");
        expect(idx.entries.map((e) => [e.name, e.type, e.size])).toEqual(entries.map((e) => [e.name, e.dir ? "directory" : "file", e.dir ? null : e.size]));
      }),
      { numRuns: 200 },
    );
  });
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: fc.constantFrom(..."<>a href=\"'/ &#;x0-9:?.\n") }), (s) => {
        parseIndex(s, "/d/");
      }),
      { numRuns: 500 },
    );
  });
});
