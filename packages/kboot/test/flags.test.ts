import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BootFlagError, HOWTO_ENV, RB, flagBits, howtoFromConsole, howtoFromEnv, howtoToEnv, parseBootArgs } from "@pxe/kboot";

describe("boot flags", () => {
  it("maps each of FreeBSD's letters to its RB_* bit", () => {
    expect(parseBootArgs(["-a"]).howto).toBe(RB.ASKNAME);
    expect(parseBootArgs(["-C"]).howto).toBe(RB.CDROM);
    expect(parseBootArgs(["-c"]).howto).toBe(0);
    expect(parseBootArgs(["-d"]).howto).toBe(RB.KDB);
    expect(parseBootArgs(["-g"]).howto).toBe(RB.GDB);
    expect(parseBootArgs(["-h"]).howto).toBe(RB.SERIAL);
    expect(parseBootArgs(["-m"]).howto).toBe(RB.MUTE);
    expect(parseBootArgs(["-p"]).howto).toBe(RB.PAUSE);
    expect(parseBootArgs(["-r"]).howto).toBe(RB.DFLTROOT);
    expect(parseBootArgs(["-s"]).howto).toBe(RB.SINGLE);
    expect(parseBootArgs(["-v"]).howto).toBe(RB.VERBOSE);
  });
  it("combines letters and words, and takes one kernel name", () => {
    expect(parseBootArgs(["-sv", "-h", "kernel.old"])).toEqual({ howto: RB.SINGLE | RB.VERBOSE | RB.SERIAL, kernel: "kernel.old", flags: ["-sv", "-h"] });
    expect(parseBootArgs([])).toEqual({ howto: 0, flags: [] });
  });
  it("refuses an unknown letter with a typed error naming it", () => {
    expect(() => parseBootArgs(["-sq"])).toThrow(BootFlagError);
    expect(() => flagBits("-x")).toThrow(/unknown boot flag '-x'/);
    expect(() => parseBootArgs(["k1", "k2"])).toThrow(BootFlagError);
  });
  it("never throws anything but BootFlagError on arbitrary arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }), (args) => {
        try {
          const r = parseBootArgs(args);
          expect(r.howto >>> 0).toBe(r.howto);
        } catch (e) {
          expect(e).toBeInstanceOf(BootFlagError);
        }
      }),
    );
  });
});

describe("howto from the environment", () => {
  it("any boot_* variable that is set turns its bit on (as boot_env_to_howto)", () => {
    const env: Record<string, string> = { boot_single: "YES", boot_verbose: "", other: "x" };
    expect(howtoFromEnv((k) => env[k])).toBe(RB.SINGLE | RB.VERBOSE);
  });
  it("flags round-trip through boot_*=YES", () => {
    fc.assert(
      fc.property(fc.subarray(HOWTO_ENV.map(([, b]) => b)), (bits) => {
        const howto = bits.reduce((a, b) => a | b, 0);
        const env = new Map(howtoToEnv(howto));
        expect(howtoFromEnv((k) => env.get(k))).toBe(howto);
      }),
    );
  });
  it("console=comconsole is RB_SERIAL; with vidconsole also RB_MULTIPLE; nullconsole RB_MUTE", () => {
    expect(howtoFromConsole("comconsole")).toBe(RB.SERIAL);
    expect(howtoFromConsole("vidconsole comconsole")).toBe(RB.SERIAL | RB.MULTIPLE);
    expect(howtoFromConsole("comconsole,vidconsole")).toBe(RB.SERIAL | RB.MULTIPLE);
    expect(howtoFromConsole("vidconsole")).toBe(0);
    expect(howtoFromConsole("nullconsole")).toBe(RB.MUTE);
    expect(howtoFromConsole(undefined)).toBe(0);
  });
});
