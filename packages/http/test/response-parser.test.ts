import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { asciiBytes, concat, utf8 } from "@pxe/core";
import { rejectsOnlyTyped } from "@pxe/core/testing";
import { HttpParseError, ResponseParser, keepAliveDecision, parseContentRange, parseKeepAlive, Headers } from "@pxe/http";
import { arbChunking, arbResponseSpec, encodeResponse, splitAt } from "@pxe/http/testing";
import { parsePieces } from "./parse-helpers.js";

const b = asciiBytes;

describe("response parser", () => {
  it("parses a Content-Length response and keeps what follows as leftover", () => {
    const r = parsePieces([b("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA")], "GET", false);
    expect(r).toMatchObject({ status: 200, reason: "OK", framing: "length", end: "end" });
    expect(utf8(r.body)).toBe("hello");
    expect(utf8(r.leftover)).toBe("EXTRA");
  });
  it("header names are case-insensitive and keep their spelling", () => {
    const p = new ResponseParser({ method: "GET" });
    const ev = p.feed(b("HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: 0\r\nX-Thing:   spaced value \t\r\n\r\n"));
    const head = ev[0].type === "head" ? ev[0].head : null;
    expect(head!.headers.get("content-length")).toBe("0");
    expect(head!.headers.get("X-THING")).toBe("spaced value");
    expect(head!.headers.entries()[0][0]).toBe("cOnTeNt-LeNgTh");
    expect(ev[1].type).toBe("end");
  });
  it("replaces obs-fold with a space (RFC 9112 §5.2)", () => {
    const r = parsePieces([b("HTTP/1.1 200 OK\r\nX-Long: part one\r\n   part two\r\n\tpart three\r\nContent-Length: 0\r\n\r\n")]);
    expect(r.headers[0]).toEqual(["X-Long", "part one part two part three"]);
  });
  it("rejects duplicate and conflicting Content-Length", () => {
    for (const h of ["Content-Length: 5\r\nContent-Length: 5", "Content-Length: 5\r\nContent-Length: 6", "Content-Length: 5, 5", "Content-Length: 5,6", "Content-Length: -1", "Content-Length: 1e3", "Content-Length: 99999999999999999"]) {
      expect(() => new ResponseParser({ method: "GET" }).feed(b(`HTTP/1.1 200 OK\r\n${h}\r\n\r\nhello`)), h).toThrow(HttpParseError);
    }
  });
  it("Transfer-Encoding wins over Content-Length and marks the framing untrustworthy", () => {
    const p = new ResponseParser({ method: "GET" });
    const ev = p.feed(b("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
    const head = ev[0].type === "head" ? ev[0].head : null;
    expect(head!.framing.kind).toBe("chunked");
    expect(head!.framingTrustworthy).toBe(false);
    expect(keepAliveDecision(head!).reusable).toBe(false);
    expect(ev[ev.length - 1].type).toBe("end");
  });
  it("no body for HEAD, 204 and 304 even with Content-Length", () => {
    expect(parsePieces([b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")], "HEAD", false)).toMatchObject({ framing: "none", end: "end" });
    expect(parsePieces([b("HTTP/1.1 204 No Content\r\n\r\n")], "GET", false)).toMatchObject({ framing: "none", end: "end" });
    expect(parsePieces([b("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")], "GET", false)).toMatchObject({ framing: "none", end: "end" });
  });
  it("skips 1xx interim responses; rejects 101", () => {
    const r = parsePieces([b("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]);
    expect(r).toMatchObject({ status: 200, end: "end" });
    expect(() => new ResponseParser({ method: "GET" }).feed(b("HTTP/1.1 101 Switching Protocols\r\n\r\n"))).toThrow(HttpParseError);
  });
  it("close-delimited bodies end at EOF; length bodies report truncation", () => {
    expect(parsePieces([b("HTTP/1.0 200 OK\r\n\r\nall of it")])).toMatchObject({ framing: "close", end: "end", versionMinor: 0 });
    const t = parsePieces([b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]);
    expect(t.end).toBe("truncated");
  });
  it("rejects bad status lines, whitespace before colon, control characters, and oversize heads", () => {
    const bad = ["HTTP/2.0 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "HTTP/1.1 200 OK\r\n continuation first\r\n\r\n", "HTTP/1.1 200 OK\r\nX: a\x00b\r\n\r\n", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"];
    for (const s of bad) expect(() => new ResponseParser({ method: "GET" }).feed(b(s)), JSON.stringify(s)).toThrow(HttpParseError);
    const p = new ResponseParser({ method: "GET", limits: { maxBytes: 100, maxFields: 3 } });
    expect(() => p.feed(b("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"))).toThrow(/more than 3 fields/);
    const q = new ResponseParser({ method: "GET", limits: { maxBytes: 100, maxFields: 30 } });
    expect(() => q.feed(b("HTTP/1.1 200 OK\r\nA: " + "x".repeat(500) + "\r\n\r\n"))).toThrow(HttpParseError);
  });
  it("EOF inside the head is a HttpParseError with its offset", () => {
    const p = new ResponseParser({ method: "GET" });
    p.feed(b("HTTP/1.1 200 OK\r\nX: 1"));
    try {
      p.eof();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HttpParseError);
      expect((e as HttpParseError).offset).toBe(21);
    }
  });
  it("gives the same result for any split of its input (property)", () => {
    fc.assert(
      fc.property(
        arbResponseSpec.chain((spec) => {
          const bytes = encodeResponse(spec);
          return fc.tuple(fc.constant(spec), fc.constant(bytes), arbChunking(bytes, 30));
        }),
        ([spec, bytes, pieces]) => {
          const whole = parsePieces([bytes]);
          const split = parsePieces(pieces);
          expect(split).toEqual(whole);
          expect(whole.status).toBe(spec.status);
          expect(whole.body).toEqual(spec.body);
          expect(whole.end).toBe("end");
          if (spec.framing === "chunked" && spec.trailers.length) expect(whole.trailers).toEqual(spec.trailers.map(([n, v]) => [n, v]));
        },
      ),
      { numRuns: 300 },
    );
  });
  it("byte-at-a-time feeding equals one feed", () => {
    const bytes = encodeResponse({ status: 200, reason: "OK", version: "1.1", headers: [["A", "b"]], body: asciiBytes("0123456789".repeat(20)), framing: "chunked", chunkSizes: [7, 13], extension: ";e=1", trailers: [["T", "v"]], interim: 1, bareLf: false });
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    expect(parsePieces(splitAt(bytes, cuts))).toEqual(parsePieces([bytes]));
  });
  it("throws only HttpParseError on arbitrary bytes (fuzz)", () => {
    const feedAll = (d: Uint8Array) => {
      const p = new ResponseParser({ method: "GET" });
      p.feed(d);
      p.eof();
    };
    rejectsOnlyTyped(feedAll, { numRuns: 500, errorClass: HttpParseError });
    rejectsOnlyTyped((d) => feedAll(concat([asciiBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), d])), { numRuns: 500, errorClass: HttpParseError });
    rejectsOnlyTyped((d) => feedAll(concat([asciiBytes("HTTP/1.1 200 OK\r\n"), d])), { numRuns: 500, errorClass: HttpParseError });
  });
});

describe("Content-Range and Keep-Alive", () => {
  it("parses Content-Range and rejects nonsense", () => {
    expect(parseContentRange("bytes 0-499/1234")).toEqual({ start: 0, end: 499, total: 1234 });
    expect(parseContentRange("bytes 500-999/*")).toEqual({ start: 500, end: 999, total: null });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseContentRange(s);
        } catch (e) {
          expect(e).toBeInstanceOf(HttpParseError);
        }
      }),
    );
    for (const bad of ["bytes 5-4/10", "bytes 0-10/10", "items 0-1/2", "bytes */10", "bytes 0-1", "bytes x-1/2"]) expect(() => parseContentRange(bad), bad).toThrow(HttpParseError);
  });
  it("decides keep-alive by version, Connection and hints", () => {
    const head = (v: number, fields: [string, string][], framing: "length" | "close" = "length") => ({ versionMajor: 1, versionMinor: v, status: 200, reason: "OK", headers: new Headers(fields), framing: framing === "length" ? { kind: "length" as const, length: 1 } : { kind: "close" as const }, framingTrustworthy: true, interim: 0 });
    expect(keepAliveDecision(head(1, [])).reusable).toBe(true);
    expect(keepAliveDecision(head(1, [["Connection", "Close"]])).reusable).toBe(false);
    expect(keepAliveDecision(head(1, [["Connection", "foo, close"]])).reusable).toBe(false);
    expect(keepAliveDecision(head(0, [])).reusable).toBe(false);
    expect(keepAliveDecision(head(0, [["Connection", "Keep-Alive"]])).reusable).toBe(true);
    expect(keepAliveDecision(head(1, [], "close")).reusable).toBe(false);
    expect(keepAliveDecision(head(1, []), true).reusable).toBe(false);
    const d = keepAliveDecision(head(1, [["Keep-Alive", "timeout=5, max=99"]]));
    expect(d).toMatchObject({ reusable: true, idleTimeoutMs: 5000, maxRequests: 99 });
    expect(keepAliveDecision(head(1, [["Keep-Alive", "max=0"]])).reusable).toBe(false);
    expect(parseKeepAlive("timeout=abc, max=3")).toEqual({ timeoutS: null, max: 3 });
  });
});
