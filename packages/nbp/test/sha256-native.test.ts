// platform/sha256.c (the block compression behind nbp.sha256Blocks, the
// hash of every `fetch`) built for the host as in the image (gcc -m32 -O3)
// and checked against Node's crypto: any message, padded here, cut into
// any sequence of calls, gives the same digest.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hostProgram } from "./host-c.js";

const driver = hostProgram("sha256-driver.c", "sha256.c", ["-O3", "-march=i686"]);

/** FIPS 180-4 §5.1.1 padding: 0x80, zeros, the bit length as 64 bits big endian. */
function padded(m: Uint8Array): Uint8Array {
  const n = Math.ceil((m.length + 9) / 64) * 64;
  const out = new Uint8Array(n);
  out.set(m);
  out[m.length] = 0x80;
  const bits = m.length * 8;
  new DataView(out.buffer).setUint32(n - 8, Math.floor(bits / 2 ** 32));
  new DataView(out.buffer).setUint32(n - 4, bits >>> 0);
  return out;
}

function native(m: Uint8Array, calls: number[] = []): string {
  return execFileSync(driver, calls.map(String), { input: padded(m) }).toString().trim();
}

describe("native SHA-256 block compression (platform/sha256.c)", () => {
  test("FIPS 180-4 examples: empty, \"abc\", the 448-bit message", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(native(enc(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(native(enc("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(native(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  test("any message, any split into calls, equals Node's crypto", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat(20), { maxLength: 6 }), (m, calls) => {
        expect(native(m, calls)).toBe(createHash("sha256").update(m).digest("hex"));
      }),
      { numRuns: 60 },
    );
  });
});
