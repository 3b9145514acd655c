import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseUrl, serializeUrl, resolveReference, resolveUrl, UrlError, hostHeader, displayUrl, formatIPv6, parseIPv6 } from "@pxe/http";
import { arbHttpUrl, arbMessyUrlString } from "@pxe/http/testing";

describe("URL parser", () => {
  it("parses every part and drops the fragment", () => {
    const u = parseUrl("HTTP://User:p%41ss@Example.COM:8080/a/./b/../c%7e%2f?x=1&y=%zz#frag");
    expect(u).toEqual({ scheme: "http", username: "User", password: "pAss", host: "example.com", hostKind: "name", port: 8080, path: "/a/c~%2F", query: "x=1&y=%25zz" });
    expect(serializeUrl(u)).toBe("http://User:pAss@example.com:8080/a/c~%2F?x=1&y=%25zz");
    expect(displayUrl(u)).toBe("http://example.com:8080/a/c~%2F?x=1&y=%25zz");
  });
  it("handles IPv4 and [IPv6] literals, default port and empty path", () => {
    expect(parseUrl("http://10.0.2.2")).toMatchObject({ host: "10.0.2.2", hostKind: "ipv4", port: 80, path: "/" });
    const v6 = parseUrl("http://[2001:DB8:0:0:0:0:0:1]:8000/x");
    expect(v6).toMatchObject({ host: "2001:db8::1", hostKind: "ipv6", port: 8000 });
    expect(hostHeader(v6)).toBe("[2001:db8::1]:8000");
    expect(serializeUrl(parseUrl("http://h:80/"))).toBe("http://h/");
    expect(parseUrl("http://[::ffff:10.0.2.2]/").host).toBe("::ffff:a00:202");
  });
  it("encodes spaces and non-ASCII as UTF-8 percent-escapes", () => {
    expect(parseUrl("http://h/a b/é?q=ü").path).toBe("/a%20b/%C3%A9");
    expect(parseUrl("http://h/a b/é?q=ü").query).toBe("q=%C3%BC");
  });
  it("rejects what is not a usable http URL with UrlError", () => {
    for (const bad of ["https://h/", "ftp://h/", "http:/h", "/relative", "http://", "http://h:0/", "http://h:65536/", "http://h:x/", "http://[::1/", "http://[1::2::3]/", "http://1.2.3.256/", "http://ho st/", "http://01.2.3.4/"]) {
      expect(() => parseUrl(bad), bad).toThrow(UrlError);
    }
  });
  it("round-trips: parse(serialize(u)) == u for normalised URLs", () => {
    fc.assert(fc.property(arbHttpUrl, (u) => {
      expect(parseUrl(serializeUrl(u))).toEqual(u);
    }), { numRuns: 500 });
  });
  it("normalisation is idempotent on messy input", () => {
    fc.assert(
      fc.property(arbMessyUrlString, (s) => {
        const u = parseUrl(s);
        expect(parseUrl(serializeUrl(u))).toEqual(u);
        expect(serializeUrl(parseUrl(serializeUrl(u)))).toBe(serializeUrl(u));
      }),
      { numRuns: 500 },
    );
  });
  it("throws only UrlError on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        for (const s of [a, "http://" + a, "http://" + a + "/" + b]) {
          try {
            parseUrl(s);
          } catch (e) {
            expect(e).toBeInstanceOf(UrlError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
  it("IPv6 formatting is canonical (RFC 5952)", () => {
    expect(formatIPv6(parseIPv6("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(formatIPv6(parseIPv6("0:0:0:0:0:0:0:0")!)).toBe("::");
    expect(formatIPv6(parseIPv6("2001:0db8:0000:0001:0001:0001:0001:0001")!)).toBe("2001:db8:0:1:1:1:1:1");
  });
});

describe("relative resolution (RFC 3986 §5.4)", () => {
  const base = "http://a/b/c/d;p?q";
  const normal: [string, string][] = [
    ["g:h", "g:h"], ["g", "http://a/b/c/g"], ["./g", "http://a/b/c/g"], ["g/", "http://a/b/c/g/"], ["/g", "http://a/g"], ["//g", "http://g"],
    ["?y", "http://a/b/c/d;p?y"], ["g?y", "http://a/b/c/g?y"], ["#s", "http://a/b/c/d;p?q#s"], ["g#s", "http://a/b/c/g#s"], ["g?y#s", "http://a/b/c/g?y#s"],
    [";x", "http://a/b/c/;x"], ["g;x", "http://a/b/c/g;x"], ["g;x?y#s", "http://a/b/c/g;x?y#s"], ["", "http://a/b/c/d;p?q"], [".", "http://a/b/c/"], ["./", "http://a/b/c/"],
    ["..", "http://a/b/"], ["../", "http://a/b/"], ["../g", "http://a/b/g"], ["../..", "http://a/"], ["../../", "http://a/"], ["../../g", "http://a/g"],
  ];
  const abnormal: [string, string][] = [
    ["../../../g", "http://a/g"], ["../../../../g", "http://a/g"], ["/./g", "http://a/g"], ["/../g", "http://a/g"], ["g.", "http://a/b/c/g."], [".g", "http://a/b/c/.g"],
    ["g..", "http://a/b/c/g.."], ["..g", "http://a/b/c/..g"], ["./../g", "http://a/b/g"], ["./g/.", "http://a/b/c/g/"], ["g/./h", "http://a/b/c/g/h"], ["g/../h", "http://a/b/c/h"],
    ["g;x=1/./y", "http://a/b/c/g;x=1/y"], ["g;x=1/../y", "http://a/b/c/y"], ["g?y/./x", "http://a/b/c/g?y/./x"], ["g?y/../x", "http://a/b/c/g?y/../x"], ["g#s/./x", "http://a/b/c/g#s/./x"],
    ["g#s/../x", "http://a/b/c/g#s/../x"], ["http:g", "http:g"],
  ];
  it.each([...normal, ...abnormal])("%s -> %s", (ref, want) => {
    expect(resolveReference(base, ref)).toBe(want);
  });
  it("resolves a Location into an HttpUrl, fragment dropped", () => {
    const b = parseUrl(base);
    expect(serializeUrl(resolveUrl(b, "../g?y#s"))).toBe("http://a/b/g?y");
    expect(serializeUrl(resolveUrl(b, "//other:81/x"))).toBe("http://other:81/x");
    expect(() => resolveUrl(b, "g:h")).toThrow(UrlError);
  });
});
