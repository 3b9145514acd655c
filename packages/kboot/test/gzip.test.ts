import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gzipSync } from "fflate";
import { sha256Hex } from "@pxe/http";
import { ChecksumError, GzipError, GzipMemoryError, BadDigestError, checkSha256, gunzipIfNeeded, isGzip, stripGz } from "@pxe/kboot";

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 11;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 27;
  return out;
}

/** A copy of `gz` whose trailer claims `size` bytes. */
function withIsize(gz: Uint8Array, size: number): Uint8Array {
  const bad = gz.slice();
  new DataView(bad.buffer).setUint32(bad.length - 4, size >>> 0, true);
  return bad;
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
  it("a trailer that does not match the inflated length is refused (cut inside the trailer, or altered; compressed or stored blocks)", () => {
    for (const level of [6, 0] as const) {
      const gz = gzipSync(data(30_000), { level });
      expect(() => gunzipIfNeeded(withIsize(gz, 30_001), "k.gz")).toThrow(/inflated to 30000 bytes, the trailer says 30001 \(truncated or corrupt\)/);
      for (const less of [29_999, 20_000, 0]) {
        expect(() => gunzipIfNeeded(withIsize(gz, less), "k.gz")).toThrow(new RegExp(`k\\.gz: bad gzip data: inflates to more than the ${less} bytes the trailer says`));
      }
      expect(() => gunzipIfNeeded(gz.subarray(0, gz.length - 8), "k.gz")).toThrow(GzipError);
    }
  });
  it("an inflated file whose CRC-32 is not the trailer's is a GzipError naming the file and both CRCs", () => {
    const gz = gzipSync(data(30_000));
    const crc = new DataView(gz.buffer, gz.byteOffset).getUint32(gz.length - 8, true);
    const hex = (v: number): string => `0x${("0000000" + v.toString(16)).slice(-8)}`;
    const flipped = gz.slice();
    for (let i = gz.length - 8; i < gz.length - 4; i++) flipped[i] ^= 0xff;
    const wrong = (crc ^ 0xffffffff) >>> 0;
    expect(() => gunzipIfNeeded(flipped, "http://s/boot/kernel/kernel.gz")).toThrow(GzipError);
    expect(() => gunzipIfNeeded(flipped, "http://s/boot/kernel/kernel.gz")).toThrow(`http://s/boot/kernel/kernel.gz: bad gzip data: the inflated data's CRC-32 is ${hex(crc)}, the trailer says ${hex(wrong)} (corrupt)`);
    // A byte changed inside a stored block inflates to the right length: only the CRC sees it.
    const stored = gzipSync(data(1000), { level: 0 });
    stored[500] ^= 1;
    expect(() => gunzipIfNeeded(stored, "k.gz")).toThrow(/k\.gz: bad gzip data: the inflated data's CRC-32 is 0x[0-9a-f]{8}, the trailer says 0x[0-9a-f]{8} \(corrupt\)/);
  });
  it("inflates into one buffer of the trailer's size (+1 byte to see an overrun), not growing chunks", () => {
    const raw = data(200_000);
    const sizes: number[] = [];
    const r = gunzipIfNeeded(gzipSync(raw), "mfsroot.gz", {
      alloc: (n) => {
        sizes.push(n);
        return new Uint8Array(n);
      },
    });
    expect(sizes).toEqual([200_001]);
    expect(r.data.buffer.byteLength).toBe(200_001);
    expect(r.data.length).toBe(200_000);
    expect(sha256Hex(r.data)).toBe(sha256Hex(raw));
  });
  it("a buffer that cannot be allocated is a GzipMemoryError naming the file, the bytes and the caller's note, not bad data", () => {
    const gz = gzipSync(new Uint8Array(1 << 20));
    for (const fail of [() => new Error("out of memory"), () => new RangeError("Array buffer allocation failed"), () => new RangeError("invalid array buffer length")]) {
      let err: unknown;
      try {
        gunzipIfNeeded(gz, "http://s/boot/mfsroot.gz", {
          alloc: () => {
            throw fail();
          },
          memoryNote: () => "; 3.00 MiB free",
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GzipMemoryError);
      expect(err).not.toBeInstanceOf(GzipError);
      expect((err as GzipMemoryError).needed).toBe((1 << 20) + 1);
      expect((err as GzipMemoryError).file).toBe("http://s/boot/mfsroot.gz");
      expect((err as Error).message).toBe("http://s/boot/mfsroot.gz: out of memory inflating gzip: needs 1048577 bytes; 3.00 MiB free");
    }
    // Without a note the message ends at the size; another failure of the allocator passes through.
    expect(() => gunzipIfNeeded(gz, "m.gz", { alloc: () => { throw new Error("out of memory"); } })).toThrow(/^m\.gz: out of memory inflating gzip: needs 1048577 bytes$/);
    expect(() => gunzipIfNeeded(gz, "m.gz", { alloc: () => { throw new TypeError("boom"); } })).toThrow(TypeError);
  });
  it("a trailer claiming more than deflate can make of the input is refused before anything is allocated", () => {
    const gz = gzipSync(data(1000));
    let asked = 0;
    const alloc = (n: number): Uint8Array => {
      asked++;
      return new Uint8Array(n);
    };
    const most = (gz.length - 18) * 1032;
    for (const size of [0xffffffff, most + 1]) {
      expect(() => gunzipIfNeeded(withIsize(gz, size), "k.gz", { alloc })).toThrow(new RegExp(`k\\.gz: bad gzip data: the trailer says ${size} bytes, more than ${gz.length} bytes of gzip can inflate to \\(at most ${most}\\)`));
    }
    expect(asked).toBe(0);
    // At the limit it is tried (and found corrupt), with one allocation.
    expect(() => gunzipIfNeeded(withIsize(gz, most), "k.gz", { alloc })).toThrow(/inflated to 1000 bytes, the trailer says/);
    expect(asked).toBe(1);
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
