import { describe, expect, it } from "vitest";
import { asciiBytes, latin1 } from "@pxe/core";
import {
  RedirectPolicy, TooManyRedirectsError, parseUrl, serializeUrl, parseProxy, parseNoProxy, bypassesProxy, selectProxy, proxyFromEnv,
  ConnectionPool, ResumeState, Headers, RangeMismatchError, buildRequest, serializeRequest, basicAuth, base64Encode, base64Decode, HeaderValueError, UrlError,
} from "@pxe/http";
import type { ResponseHead } from "@pxe/http";
import fc from "fast-check";

const u = parseUrl;

describe("redirect policy", () => {
  it("follows relative Location, turns 303 into GET, keeps HEAD", () => {
    const p = new RedirectPolicy(u("http://a/x/y"), "GET");
    expect(serializeUrl(p.next(301, "../z")!.url)).toBe("http://a/z");
    const s = p.next(303, "/other");
    expect(s!.method).toBe("GET");
    const h = new RedirectPolicy(u("http://a/"), "HEAD");
    expect(h.next(303, "/b")!.method).toBe("HEAD");
    expect(h.next(200, "/c")).toBeNull();
    expect(h.next(302, null)).toBeNull();
  });
  it("strips credentials across origins and keeps them within one", () => {
    const p = new RedirectPolicy(u("http://user:pw@a/x"), "GET");
    const same = p.next(302, "http://a/y")!;
    expect(same.url.username).toBe("user");
    expect(same.credentialsStripped).toBe(false);
    const other = p.next(307, "http://b:8080/z")!;
    expect(other.url.username).toBe("");
    expect(other.url.password).toBeNull();
    expect(other.credentialsStripped).toBe(true);
  });
  it("refuses loops and more than 5 hops, naming the chain", () => {
    const p = new RedirectPolicy(u("http://a/1"), "GET");
    p.next(302, "/2");
    try {
      p.next(302, "/1");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TooManyRedirectsError);
      expect((e as TooManyRedirectsError).loop).toBe(true);
      expect((e as TooManyRedirectsError).chain).toEqual(["http://a/1", "http://a/2", "http://a/1"]);
    }
    const q = new RedirectPolicy(u("http://a/0"), "GET");
    for (let i = 1; i <= 5; i++) q.next(301, `/${i}`);
    expect(() => q.next(301, "/6")).toThrow(/more than 5 redirects: http:\/\/a\/0 -> .* -> http:\/\/a\/6/);
  });
});

describe("proxy selection", () => {
  it("parses proxy settings with credentials, default scheme and port", () => {
    const p = parseProxy("http://us%40er:p:w@proxy.lan:3128/");
    expect(p.url.host).toBe("proxy.lan");
    expect(p.url.port).toBe(3128);
    expect(p.authorization).toBe(basicAuth("us%40er", "p:w"));
    expect(latin1(base64Decode(p.authorization!.slice(6))!)).toBe("us@er:p:w");
    expect(parseProxy("10.0.2.2").url.port).toBe(1080);
    expect(parseProxy("10.0.2.2:8080").authorization).toBeNull();
    expect(() => parseProxy("socks5://h:1")).toThrow(UrlError);
  });
  it("matches no-proxy entries by host, suffix, port, CIDR and *", () => {
    const rules = parseNoProxy("localhost, .internal example.com:8080,10.0.0.0/8 [::1]");
    const by = (s: string) => bypassesProxy(rules, u(s));
    expect(by("http://localhost/")).toBe(true);
    expect(by("http://a.internal/")).toBe(true);
    expect(by("http://internal/")).toBe(false);
    expect(by("http://example.com:8080/")).toBe(true);
    expect(by("http://www.example.com:8080/")).toBe(true);
    expect(by("http://example.com/")).toBe(false);
    expect(by("http://10.1.2.3/")).toBe(true);
    expect(by("http://11.1.2.3/")).toBe(false);
    expect(by("http://[::1]/")).toBe(true);
    expect(by("http://notexample.com:8080/")).toBe(false);
    expect(bypassesProxy(parseNoProxy("*"), u("http://x/"))).toBe(true);
  });
  it("builds settings from http_proxy / no_proxy", () => {
    const s = proxyFromEnv({ http_proxy: "proxy:3128", NO_PROXY: "local" });
    expect(selectProxy(s, u("http://far/"))!.url.port).toBe(3128);
    expect(selectProxy(s, u("http://local/"))).toBeNull();
    expect(proxyFromEnv({}).proxy).toBeNull();
  });
});

describe("request serialisation", () => {
  it("writes origin-form with Host, User-Agent, Authorization, Range, Connection", () => {
    const text = latin1(serializeRequest(buildRequest("GET", u("http://al:ice@h:8080/p?q"), { userAgent: "t/1", range: { start: 10 } })));
    expect(text).toBe("GET /p?q HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: t/1\r\nAuthorization: Basic YWw6aWNl\r\nRange: bytes=10-\r\nConnection: keep-alive\r\n\r\n");
  });
  it("writes absolute-form without credentials and Proxy-Authorization through a proxy", () => {
    const p = parseProxy("http://pu:pp@proxy:3128");
    const text = latin1(serializeRequest(buildRequest("HEAD", u("http://h/x"), { viaProxy: true, proxyAuthorization: p.authorization, keepAlive: false, range: { start: 0, end: 99 } })));
    expect(text).toBe(`HEAD http://h/x HTTP/1.1\r\nHost: h\r\nProxy-Authorization: ${p.authorization}\r\nRange: bytes=0-99\r\nConnection: close\r\n\r\n`);
  });
  it("refuses CR/LF in values and non-token names", () => {
    expect(() => serializeRequest({ method: "GET", target: "/", headers: [["X", "a\r\nEvil: 1"]] })).toThrow(HeaderValueError);
    expect(() => serializeRequest({ method: "GET", target: "/", headers: [["Bad Name", "a"]] })).toThrow(HeaderValueError);
  });
  it("base64 matches the RFC 4648 vectors and round-trips", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]];
    for (const [plain, enc] of vectors) {
      expect(base64Encode(asciiBytes(plain))).toBe(enc);
      expect(base64Decode(enc)).toEqual(asciiBytes(plain));
    }
    expect(base64Encode(Uint8Array.of(0xfb, 0xff, 0xfe))).toBe("+//+");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (d) => {
        const e = base64Encode(d);
        expect(e.length).toBe(Math.ceil(d.length / 3) * 4);
        expect(base64Decode(e)).toEqual(d);
      }),
    );
    expect(base64Decode("abc")).toBeNull();
    expect(base64Decode("a*==")).toBeNull();
  });
});

describe("connection pool policy", () => {
  const yes = { reusable: true, reason: "", idleTimeoutMs: null, maxRequests: null };
  it("reuses newest first, expires idle, honours hints and max", () => {
    const closed: string[] = [];
    const pool = new ConnectionPool<string>({ close: (c) => void closed.push(c), defaultIdleMs: 1000 });
    pool.put("o", "c1", yes, 0);
    pool.put("o", "c2", yes, 0);
    expect(pool.take("o", 10)!.conn).toBe("c2");
    expect(pool.take("o", 2000)).toBeNull();
    expect(closed).toEqual(["c1"]);
    expect(pool.put("o", "c3", { ...yes, reusable: false }, 0)).toBe(false);
    expect(pool.put("o", "c4", { ...yes, maxRequests: 0 }, 0)).toBe(false);
    expect(pool.put("o", "c5", { ...yes, idleTimeoutMs: 5000 }, 0)).toBe(true);
    expect(pool.take("o", 3999)!.conn).toBe("c5");
    pool.put("o", "c6", { ...yes, idleTimeoutMs: 5000 }, 0);
    pool.evict(4001);
    expect(pool.idleCount()).toBe(0);
    expect(closed).toEqual(["c1", "c3", "c4", "c6"]);
  });
  it("counts down Keep-Alive max across reuses", () => {
    const closed: string[] = [];
    const pool = new ConnectionPool<string>({ close: (c) => void closed.push(c) });
    expect(pool.put("o", "c", { ...yes, maxRequests: 2 }, 0)).toBe(true);
    const t = pool.take("o", 1)!;
    expect(t.requestsLeft).toBe(2);
    expect(pool.put("o", "c", yes, 1, 1)).toBe(false);
    expect(closed).toEqual(["c"]);
  });
});

describe("resume bookkeeping", () => {
  const head = (status: number, fields: [string, string][], length = 0): ResponseHead => ({ versionMajor: 1, versionMinor: 1, status, reason: "", headers: new Headers(fields), framing: { kind: "length", length }, framingTrustworthy: true, interim: 0 });
  it("asks for the next byte with If-Range and accepts a matching 206", () => {
    const r = new ResumeState("http://h/f", null, 3);
    r.begin(head(200, [["ETag", '"abc"']], 1000));
    r.advance(400);
    expect(r.nextRange()).toEqual({ start: 400 });
    expect(r.validator).toBe('"abc"');
    expect(r.check(head(206, [["Content-Range", "bytes 400-999/1000"]], 600)).kind).toBe("continue");
  });
  it("rejects a 206 from the wrong place or of another length; 200 means restart", () => {
    const r = new ResumeState("http://h/f", { start: 100, end: 199 }, 3);
    r.begin(head(206, [["Content-Range", "bytes 100-199/1000"], ["ETag", 'W/"weak"'], ["Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"]], 100));
    expect(r.validator).toBe("Mon, 01 Jan 2024 00:00:00 GMT");
    r.advance(50);
    expect(r.nextRange()).toEqual({ start: 150, end: 199 });
    expect(() => r.check(head(206, [["Content-Range", "bytes 100-199/1000"]]))).toThrow(RangeMismatchError);
    expect(() => r.check(head(206, [["Content-Range", "bytes 150-199/2000"]]))).toThrow(RangeMismatchError);
    expect(() => r.check(head(416, []))).toThrow(RangeMismatchError);
    expect(r.check(head(200, [], 1000)).kind).toBe("restart");
  });
  it("stops after maxAttempts", () => {
    const r = new ResumeState("http://h/f", null, 2);
    r.nextRange();
    r.nextRange();
    expect(r.canResume()).toBe(false);
  });
});

