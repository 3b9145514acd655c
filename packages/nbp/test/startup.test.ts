// Start-up of the default loader: pxelinux's config lookup order, config
// lines, the root-path boot-conf line, and lines typed only while idle.
import { describe, expect, test } from "vitest";
import type { NbpHost } from "../src/host-api.js";
import { bootConfigNames, configLines, findBootConfig, rootPathUrl, scriptedKeys, startupLines } from "../src/loader/startup.js";

const mac = Uint8Array.from([0x52, 0x54, 0x00, 0xaa, 0x0b, 0x01]);
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("boot config lookup", () => {
  test("names in pxelinux's order: 01-mac, the IP in hex shortened a digit at a time, default", () => {
    expect(bootConfigNames(mac, "192.0.2.91")).toEqual([
      "pxehttp.cfg/01-52-54-00-aa-0b-01",
      "pxehttp.cfg/C000025B", "pxehttp.cfg/C000025", "pxehttp.cfg/C00002", "pxehttp.cfg/C0000",
      "pxehttp.cfg/C000", "pxehttp.cfg/C00", "pxehttp.cfg/C0", "pxehttp.cfg/C",
      "pxehttp.cfg/default",
    ]);
    expect(bootConfigNames(mac, "not an ip")).toEqual(["pxehttp.cfg/01-52-54-00-aa-0b-01", "pxehttp.cfg/default"]);
  });

  test("the first that exists wins; missing files are no error; other TFTP failures stop the lookup", () => {
    const asked: string[] = [];
    const host = (files: Record<string, string>, fail?: string): NbpHost =>
      ({ tftpGet: (n: string) => (asked.push(n), n === fail ? 0x32 : files[n] !== undefined ? bytes(files[n]) : 0x3b) }) as unknown as NbpHost;
    expect(findBootConfig(host({ "pxehttp.cfg/C00002": "load x\r\n# c\n\nboot\n", "pxehttp.cfg/default": "y" }), mac, "192.0.2.91"))
      .toEqual({ name: "pxehttp.cfg/C00002", lines: ["load x", "boot"] });
    expect(asked).toEqual(bootConfigNames(mac, "192.0.2.91").slice(0, 4));
    expect(findBootConfig(host({}), mac, "192.0.2.91")).toEqual({ lines: [] });
    expect(findBootConfig(host({}, "pxehttp.cfg/C000025"), mac, "192.0.2.91").error).toMatch(/pxehttp\.cfg\/C000025: PXE status 0x32/);
    expect(findBootConfig({} as NbpHost, mac, "192.0.2.91").error).toMatch(/no TFTP/);
  });

  test("config lines; then boot-conf for an http:// root-path only", () => {
    expect(configLines(bytes("  set a=b  \n#x\n\r\nboot -v"))).toEqual(["set a=b", "boot -v"]);
    expect(startupLines({ lines: ["a"] }, "http://10.0.0.1/freebsd/")).toEqual(["a", "boot-conf http://10.0.0.1/freebsd/"]);
    expect(startupLines({ lines: ["a"] }, "/nfs/root")).toEqual(["a"]);
    expect(rootPathUrl(" HTTP://x/ ")).toBe("HTTP://x/");
    expect(rootPathUrl(undefined)).toBeUndefined();
  });
});

describe("scriptedKeys", () => {
  test("types each line with Enter, only while no command runs; real keys after", () => {
    let busy = false;
    const real = [0x71];
    const read = scriptedKeys(["ab", "c"], () => real.shift() ?? -1, () => busy);
    expect([read(), read(), read()]).toEqual([0x61, 0x62, 13]);
    busy = true; // "ab" runs: the next line waits, real keys pass (a countdown sees only those)
    expect(read()).toBe(0x71);
    expect(read()).toBe(-1);
    busy = false;
    expect([read(), read(), read()]).toEqual([0x63, 13, -1]);
  });
});
