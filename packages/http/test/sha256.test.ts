import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { asciiBytes } from "@pxe/core";
import { Sha256, sha256Hex } from "@pxe/http";

describe("SHA-256", () => {
  it("matches the FIPS 180-4 / NIST vectors", () => {
    expect(sha256Hex(asciiBytes(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(asciiBytes("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(asciiBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    expect(sha256Hex(asciiBytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    const h = new Sha256();
    const block = asciiBytes("a".repeat(1000));
    for (let i = 0; i < 1000; i++) h.update(block);
    expect(h.hex()).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("equals node:crypto on random inputs split into random updates", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 6 }), (data, cuts) => {
        const h = new Sha256();
        let prev = 0;
        for (const c of [...cuts.map((x) => x % (data.length + 1))].sort((a, b) => a - b)) {
          h.update(data.subarray(prev, c));
          prev = c;
        }
        h.update(data.subarray(prev));
        expect(h.hex()).toBe(createHash("sha256").update(data).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });
  it("handles every length around the padding boundary", () => {
    for (let n = 50; n < 140; n++) {
      const d = new Uint8Array(n).map((_, i) => i * 7);
      expect(sha256Hex(d)).toBe(createHash("sha256").update(d).digest("hex"));
    }
  });
});
