import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NotAKernelError, probeKernel } from "../src/probe.js";
import { makeBzImage } from "./linux-fixtures.js";

describe("probeKernel", () => {
  it("tells a bzImage, a Multiboot kernel and a FreeBSD ELF kernel apart", () => {
    expect(probeKernel(makeBzImage())).toBe("linux");
    const mb = new Uint8Array(64);
    mb.set([0x02, 0xb0, 0xad, 0x1b, 0, 0, 0, 0, 0xfe, 0x4f, 0x52, 0xe4], 32);
    expect(probeKernel(mb)).toBe("multiboot");
    const fbsd = new Uint8Array(64);
    fbsd.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 9]);
    expect(probeKernel(fbsd)).toBe("freebsd");
  });
  it("says what a file that is no kernel looks like", () => {
    const linuxElf = new Uint8Array(64);
    linuxElf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    expect(() => probeKernel(linuxElf, "vmlinux")).toThrow(/^vmlinux: not a kernel \(an ELF file for OS\/ABI 0, not FreeBSD's 9\)/);
    expect(() => probeKernel(Uint8Array.from([0x1f, 0x8b, 8]), "x.gz")).toThrow(/gzip-compressed data/);
    expect(() => probeKernel(Uint8Array.from([0x3c, 0x68]), "index")).toThrow(/HTML/);
    expect(() => probeKernel(new Uint8Array(0), "empty")).toThrow(NotAKernelError);
  });
  it("gives a kind or NotAKernelError for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (b) => {
        try {
          expect(["linux", "multiboot", "freebsd"]).toContain(probeKernel(b));
        } catch (e) {
          if (!(e instanceof NotAKernelError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
