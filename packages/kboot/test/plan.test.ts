import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FreeBsdBoot, LayoutError, MemoryPlanner, usableRanges, type E820Entry, type MemRange } from "@pxe/kboot";
import { amd64Kernel, i386Kernel } from "./fixtures.js";

const MiB = 0x100000;
const LIMIT = 0x40000000;

/** Random E820 maps over the first 1.5 GiB, entries of any type, possibly overlapping. */
const e820Arb = fc.array(
  fc.record({
    base: fc.integer({ min: 0, max: 1536 }).map((n) => n * MiB + (n % 3) * 0x1000),
    length: fc.integer({ min: 1, max: 512 }).map((n) => n * MiB - (n % 5) * 0x400),
    type: fc.constantFrom(1, 1, 1, 2, 3, 4),
  }),
  { minLength: 1, maxLength: 8 },
);
const reservedArb = fc.array(fc.record({ base: fc.integer({ min: 0, max: 1100 * MiB }), length: fc.integer({ min: 1, max: 64 * MiB }) }), { maxLength: 4 });

/** True when [a, a+n) lies inside usable RAM: covered by type-1 entries, touching no other entry, no reserved range, in [1 MiB, 1 GiB). */
function allowed(e820: readonly E820Entry[], reserved: readonly MemRange[], a: number, n: number): boolean {
  if (n === 0) return true;
  if (a < MiB || a + n > LIMIT) return false;
  for (const e of e820) if (e.type !== 1 && a < e.base + e.length && e.base < a + n) return false;
  for (const r of reserved) if (a < r.base + r.length && r.base < a + n) return false;
  // covered by the union of type-1 entries: walk forward
  let at = a;
  for (;;) {
    const e = e820.find((x) => x.type === 1 && x.base <= at && at < x.base + x.length);
    if (!e) return false;
    at = e.base + e.length;
    if (at >= a + n) return true;
  }
}

function checkDisjoint(ps: ReadonlyArray<{ base: number; size: number; name: string }>): void {
  const s = [...ps].filter((p) => p.size > 0).sort((x, y) => x.base - y.base);
  for (let i = 1; i < s.length; i++) expect(s[i].base, `${s[i].name} overlaps ${s[i - 1].name}`).toBeGreaterThanOrEqual(s[i - 1].base + s[i - 1].size);
}

describe("MemoryPlanner", () => {
  it("usable memory is type-1 RAM minus every other entry and reserved range, cut to [1 MiB, 1 GiB)", () => {
    expect(
      usableRanges(
        [
          { base: 0, length: 0x9fc00, type: 1 },
          { base: MiB, length: 255 * MiB, type: 1 },
          { base: 16 * MiB, length: MiB, type: 2 },
          { base: 200 * MiB, length: 2048 * MiB, type: 1 },
        ],
        [{ base: 32 * MiB, length: 0x1000 }],
      ),
    ).toEqual([
      { base: MiB, length: 15 * MiB },
      { base: 17 * MiB, length: 15 * MiB },
      { base: 32 * MiB + 0x1000, length: LIMIT - 32 * MiB - 0x1000 },
    ]);
  });

  it("property: placed pieces never overlap and lie only in usable memory; otherwise a LayoutError", () => {
    let placed = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        e820Arb,
        reservedArb,
        fc.option(fc.record({ base: fc.integer({ min: 0, max: 1100 }).map((n) => n * MiB), size: fc.integer({ min: 1, max: 32 * MiB }) }), { nil: undefined }),
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 96 * MiB }), align: fc.constantFrom(1, 8, 0x1000, 0x200000) }), { maxLength: 12 }),
        (e820, reserved, fixed, pieces) => {
          const p = new MemoryPlanner(e820, reserved);
          try {
            if (fixed) p.fixed("kernel", fixed.base, fixed.size);
            pieces.forEach((x, i) => {
              const at = p.place(`piece ${i}`, x.size, x.align);
              expect(at % x.align).toBe(0);
            });
          } catch (e) {
            expect(e).toBeInstanceOf(LayoutError);
            refused++;
          }
          for (const q of p.placements) expect(allowed(e820, reserved, q.base, q.size), `${q.name} at ${q.base.toString(16)}+${q.size.toString(16)}`).toBe(true);
          checkDisjoint(p.placements);
          if (p.placements.length > 1) placed++;
        },
      ),
      { numRuns: 400 },
    );
    expect(placed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it("names the piece and its size when it does not fit", () => {
    const p = new MemoryPlanner([{ base: MiB, length: 4 * MiB, type: 1 }]);
    p.place("kernel", 2 * MiB, 0x1000);
    expect(() => p.place("mfsroot", 3 * MiB, 0x1000)).toThrow(/mfsroot \(3145728 bytes\): no usable memory left/);
    expect(() => p.fixed("kernel text", 0x80000, 0x1000)).toThrow(/kernel text \(4096 bytes\): must sit at 0x80000-0x81000/);
  });
});

describe("FreeBsdBoot against random memory maps", () => {
  it("property: every piece of a built image lies in usable memory, none overlap, KERNEND covers them", () => {
    let built = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("amd64", "i386"),
        e820Arb.map((m) => [...m, { base: 2 * MiB, length: 8 * MiB, type: 1 }, { base: 0, length: 0x9f000, type: 1 }]),
        reservedArb,
        fc.array(fc.integer({ min: 0, max: 48 * MiB }), { maxLength: 5 }),
        (arch, e820, reserved, sizes) => {
          const fb = new FreeBsdBoot();
          fb.addKernel("kernel", arch === "amd64" ? amd64Kernel() : i386Kernel());
          sizes.forEach((n, i) => fb.addFile(`file${i}`, "md_image", new Uint8Array(n)));
          let image;
          try {
            image = fb.build({ e820, reserved, env: [["a", "b"]] });
          } catch (e) {
            expect(e).toBeInstanceOf(LayoutError);
            return;
          }
          built++;
          const ps = image.pieces.map((p) => ({ name: p.name, base: p.dest, size: p.data.length + (p.zero ?? 0) }));
          for (const p of ps) {
            expect(allowed(e820, reserved, p.base, p.size), `${p.name} at ${p.base.toString(16)}`).toBe(true);
            expect(p.base + p.size).toBeLessThanOrEqual(image.kernend);
          }
          checkDisjoint(ps);
        },
      ),
      { numRuns: 150 },
    );
    expect(built).toBeGreaterThan(10);
  });
});
