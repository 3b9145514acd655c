// bootImage's refusals give back the staging memory they took (allocHigh),
// so a boot that is refused does not shrink the room of the next one. The
// host is a stand-in for pxehttp.0's C platform: allocHigh carves down from
// the top of a 4 MiB area as heap.c does, highMark/releaseHigh as there.
import { describe, expect, it } from "vitest";
import { onesSumTs } from "@pxe/core";
import type { BootImage } from "@pxe/kboot";
import { bootImage, BootImageError, type NbpHost } from "@pxe/nbp";

const AREA_LOW = 0x1000000;
const AREA_TOP = 0x1400000; // 4 MiB of staging room

function stagingHost(refuse: () => string | null): NbpHost & { top: () => number } {
  let top = AREA_TOP;
  const host: NbpHost = {
    pxe: { entry: "!PXE", bangPxe: 0, pxenv: 0 },
    pxeCall: () => 1,
    memRead: (_a, n) => new Uint8Array(n),
    memReadInto: () => {},
    memWrite: () => {},
    allocLow: () => 0x8000,
    allocHigh: (size, align) => {
      const p = (top - size) & ~(Math.max(align, 16) - 1);
      if (size > top - AREA_LOW || p < AREA_LOW) throw new RangeError(`allocHigh: ${size} bytes (align ${align}) do not fit`);
      top = p;
      return p;
    },
    highMark: () => top,
    releaseHigh: (mark) => {
      if (mark < top || mark > AREA_TOP) throw new RangeError(`releaseHigh: 0x${mark.toString(16)}`);
      top = mark;
    },
    // Every piece's bytes are somewhere the image goes: all are staged.
    addressOf: () => -1,
    bootCheck: () => refuse(),
    boot: (): never => {
      throw new Error("booted");
    },
    now: () => 0,
    write: () => {},
    readKey: () => -1,
    e820: () => new Uint8Array(0),
    onesSum: onesSumTs,
    reboot: (): never => {
      throw new Error("reboot");
    },
    poweroff: (): never => {
      throw new Error("poweroff");
    },
  };
  return Object.assign(host, { top: () => top });
}

/** Two pieces of 1.5 MiB each (3 of the 4 MiB): a second image fits only if the first one's staging was given back. */
function image(): BootImage {
  const big = new Uint8Array(0x180000);
  return {
    pieces: [
      { name: "kernel", dest: 0x200000, data: big },
      { name: "md_image", dest: 0x400000, data: big },
    ],
    entry: { kind: "protected32", eip: 0x200000, esp: 0x3ff000, regs: {} },
  };
}

describe("bootImage staging", () => {
  it("gives the staging memory back when the platform refuses the image: the next boot still fits", async () => {
    const host = stagingHost(() => "two pieces' destinations overlap");
    await expect(bootImage(host, image())).rejects.toThrow(/the platform refuses the image: two pieces' destinations overlap/);
    expect(host.top()).toBe(AREA_TOP);
    // Again: without the release this would be "cannot stage kernel ... do not fit".
    await expect(bootImage(host, image())).rejects.toThrow(/the platform refuses the image/);
    expect(host.top()).toBe(AREA_TOP);
  });

  it("gives back the pieces already staged when a later piece does not fit", async () => {
    const host = stagingHost(() => null);
    const img = image();
    const tooBig: BootImage = { ...img, pieces: [...img.pieces, { name: "mfsroot", dest: 0x600000, data: new Uint8Array(0x180000) }] };
    let err: unknown;
    try {
      await bootImage(host, tooBig);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BootImageError);
    expect((err as BootImageError).piece).toBe("mfsroot");
    expect(host.top()).toBe(AREA_TOP);
  });
});
