import { describe, expect, it } from "vitest";
import { RB, kernelHandoff } from "@pxe/kboot";

describe("kernelHandoff", () => {
  it("console=comconsole gives RB_SERIAL and hw.uart.console at 115200 (DESIGN.md §5)", () => {
    const h = kernelHandoff([["console", "comconsole"]], 0);
    expect(h.howto).toBe(RB.SERIAL);
    expect(h.kenv).toContainEqual(["hw.uart.console", "io:0x3f8,br:115200"]);
  });
  it("comconsole_speed and comconsole_port choose the speed and port", () => {
    const h = kernelHandoff([["console", "comconsole"], ["comconsole_speed", "9600"], ["comconsole_port", "0x2f8"]], 0);
    expect(new Map(h.kenv).get("hw.uart.console")).toBe("io:0x2f8,br:9600");
  });
  it("boot -h also sets the serial hand-off; a given hw.uart.console is kept", () => {
    expect(new Map(kernelHandoff([], RB.SERIAL).kenv).get("hw.uart.console")).toBe("io:0x3f8,br:115200");
    expect(new Map(kernelHandoff([["hw.uart.console", "io:0x2f8,br:57600"]], RB.SERIAL).kenv).get("hw.uart.console")).toBe("io:0x2f8,br:57600");
  });
  it("no serial console: no hw.uart.console", () => {
    expect(new Map(kernelHandoff([["console", "vidconsole"]], RB.SINGLE).kenv).has("hw.uart.console")).toBe(false);
  });
  it("boot flags are recorded as boot_*=YES; boot_verbose in loader.conf sets RB_VERBOSE", () => {
    const h = kernelHandoff([["boot_verbose", "YES"], ["vfs.root.mountfrom", "cd9660:/dev/md0"]], RB.SINGLE);
    expect(h.howto).toBe(RB.SINGLE | RB.VERBOSE);
    expect(h.kenv).toEqual([
      ["boot_verbose", "YES"],
      ["vfs.root.mountfrom", "cd9660:/dev/md0"],
      ["boot_single", "YES"],
    ]);
  });
  it("keeps loader_conf_files out of the kernel's environment", () => {
    expect(kernelHandoff([["loader_conf_files", "/boot/loader.conf"], ["a", "b"]], 0).kenv).toEqual([["a", "b"]]);
  });
});
