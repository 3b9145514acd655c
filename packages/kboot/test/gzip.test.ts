import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gzipSync } from "fflate";
import { sha256Hex } from "@pxe/http";
import { ChecksumError, GzipError, BadDigestError, checkSha256, gunzipIfNeeded, isGzip, stripGz } from "@pxe/kboot";

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 11;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 27;
  return out;
}

describe("gzip", () => {
  it("inflates a gzip file to the original bytes; anything else passes through", () => {
    const raw = data(60_000);
    const gz = gzipSync(raw);
    expect(isGzip(gz)).toBe(true);
    const r = gunzipIfNeeded(gz, "kernel.gz");
    expect(r.gzipped).toBe(true);
    expect(sha256Hex(r.data)).toBe(sha256Hex(raw));
    expect(gunzipIfNeeded(raw, "kernel")).toEqual({ data: raw, gzipped: false });
    expect(stripGz("cd9660.ko.gz")).toBe("cd9660.ko");
  });
  it("a truncated gzip file is a GzipError naming the file", () => {
    const gz = gzipSync(data(30_000));
    for (const cut of [10, 100, gz.length >> 1, gz.length - 1]) {
      expect(() => gunzipIfNeeded(gz.subarray(0, cut), "http://s/boot/kernel/kernel.gz")).toThrow(GzipError);
    }
    expect(() => gunzipIfNeeded(gz.subarray(0, gz.length - 1), "http://s/k.gz")).toThrow(/http:\/\/s\/k\.gz: bad gzip data/);
  });
  it("a trailer that does not match the inflated length is refused (cut inside the trailer, or altered)", () => {
    const gz = gzipSync(data(30_000));
    for (const d of [1, -1]) {
      const bad = gz.slice();
      const v = new DataView(bad.buffer);
      v.setUint32(bad.length - 4, (v.getUint32(bad.length - 4, true) + d) >>> 0, true);
      expect(() => gunzipIfNeeded(bad, "k.gz")).toThrow(/inflated to 30000 bytes, the trailer says/);
    }
    expect(() => gunzipIfNeeded(gz.subarray(0, gz.length - 8), "k.gz")).toThrow(GzipError);
  });
  it("arbitrary bytes after a gzip header give data or GzipError, nothing else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        const bytes = new Uint8Array(10 + tail.length);
        bytes.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        bytes.set(tail, 10);
        try {
          gunzipIfNeeded(bytes, "x.gz");
        } catch (e) {
          expect(e).toBeInstanceOf(GzipError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("SHA-256 checks", () => {
  it("accepts the right digest (any case) and refuses another with the file named", () => {
    const d = data(1000);
    const hex = sha256Hex(d);
    expect(checkSha256(d, hex.toUpperCase(), "f")).toBe(hex);
    const other = hex.replace(/^./, hex[0] === "0" ? "1" : "0");
    expect(() => checkSha256(d, other, "http://s/boot/kernel/kernel")).toThrow(ChecksumError);
    expect(() => checkSha256(d, other, "http://s/boot/kernel/kernel")).toThrow(/http:\/\/s\/boot\/kernel\/kernel: SHA-256 mismatch/);
    expect(() => checkSha256(d, "abc", "f")).toThrow(BadDigestError);
  });
});
