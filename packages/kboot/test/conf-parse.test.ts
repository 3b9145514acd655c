import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LoaderConf, LoaderConfError, parseLoaderConf } from "@pxe/kboot";

const F = "/boot/loader.conf";

describe("parseLoaderConf: golden cases from loader.conf(5)", () => {
  it("name=\"value\" pairs, with comments and blank lines around them", () => {
    const text = [
      "# a comment",
      "",
      'vfs.root.mountfrom="cd9660:/dev/md0"   # where root is',
      "  autoboot_delay = 3",
      'console="comconsole"',
      'kern.msgbuf=""',
      'hint.uart.0.at="isa"',
    ].join("\n");
    expect(parseLoaderConf(text, F)).toEqual([
      { kind: "env", name: "vfs.root.mountfrom", value: "cd9660:/dev/md0", line: 3 },
      { kind: "env", name: "autoboot_delay", value: "3", line: 4 },
      { kind: "env", name: "console", value: "comconsole", line: 5 },
      { kind: "env", name: "kern.msgbuf", value: "", line: 6 },
      { kind: "env", name: "hint.uart.0.at", value: "isa", line: 7 },
    ]);
  });
  it("module lines: X_load, X_name, X_type, X_flags, X_before, X_after, X_error, X_sha256", () => {
    const text = [
      'cd9660_load="YES"',
      'mfsroot_load="YES"',
      'mfsroot_type="md_image"',
      'mfsroot_name="/boot/mfsroot"',
      'if_em_flags="-v debug=1"',
      'splash_bmp_load="NO"',
      'cd9660_before="echo before"',
      'cd9660_after="echo after"',
      'cd9660_error="echo failed"',
      `cd9660_sha256="${"ab".repeat(32)}"`,
    ].join("\r\n");
    const st = parseLoaderConf(text, F);
    expect(st.map((s) => (s.kind === "module" ? `${s.module}.${s.field}=${s.value}` : s.kind))).toEqual([
      "cd9660.load=YES",
      "mfsroot.load=YES",
      "mfsroot.type=md_image",
      "mfsroot.name=/boot/mfsroot",
      "if_em.flags=-v debug=1",
      "splash_bmp.load=NO",
      "cd9660.before=echo before",
      "cd9660.after=echo after",
      "cd9660.error=echo failed",
      `cd9660.sha256=${"ab".repeat(32)}`,
    ]);
  });
  it("exec lines, escapes and '#' inside quotes", () => {
    expect(parseLoaderConf('exec="echo Loading # not a comment"\nx="a \\"b\\" \\\\c"', F)).toEqual([
      { kind: "exec", command: "echo Loading # not a comment", line: 1 },
      { kind: "env", name: "x", value: 'a "b" \\c', line: 2 },
    ]);
  });
  it("names that only look like module fields stay variables (boot_serial, comconsole_speed, kernel_options)", () => {
    const st = parseLoaderConf('boot_serial="YES"\ncomconsole_speed="9600"\nkernel_options="-v"\nhw.x_load="1"', F);
    expect(st.every((s) => s.kind === "env")).toBe(true);
  });
  it("errors name the file, the line and what is wrong", () => {
    const bad: Array<[string, RegExp]> = [
      ['kernel="kern', /unclosed quote/],
      ["kernel", /has no '=value'/],
      ['kernel "x"', /expected '='/],
      ["kernel=", /has no value/],
      ['kernel="a" b', /unexpected 'b'/],
      ['="x"', /starts with a name/],
      ['a="x"junk', /unexpected 'junk'/],
    ];
    for (const [line, re] of bad) {
      let err: unknown;
      try {
        parseLoaderConf(`# ok\n${line}\n`, F);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LoaderConfError);
      const e = err as LoaderConfError;
      expect(e.file).toBe(F);
      expect(e.line).toBe(2);
      expect(e.message).toMatch(re);
      expect(e.message.startsWith(`${F}:2: `)).toBe(true);
    }
  });
  it("arbitrary text gives statements or LoaderConfError, nothing else", () => {
    const chars = fc.constantFrom(..."ab_.=\"# \t\\\n\r-x0".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: chars, maxLength: 60 }), fc.string({ unit: "binary" })), (text) => {
        try {
          const st = parseLoaderConf(text, F);
          for (const s of st) expect(s.line).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(LoaderConfError);
        }
      }),
      { numRuns: 300 },
    );
  });
  it("a value written out quoted parses back to itself", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_][a-z0-9_.]{0,12}$/), fc.string().filter((s) => s.indexOf("\n") < 0 && s.indexOf("\r") < 0), (name, value) => {
        const quoted = `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
        const [st] = parseLoaderConf(`${name}=${quoted}`, F);
        expect("value" in st ? st.value : st.kind === "exec" ? st.command : "").toBe(value);
      }),
    );
  });
});

describe("LoaderConf", () => {
  it("later lines override, modules collect their fields, YES in any case loads", () => {
    const conf = new LoaderConf();
    for (const s of parseLoaderConf('a="1"\ncd9660_load="yes"\na="2"\nzfs_load="NO"\nmfs_load="YES"\nmfs_type="md_image"', F)) conf.apply(s, F);
    expect(conf.get("a")).toBe("2");
    expect(conf.toLoad().map((m) => [m.key, m.type])).toEqual([
      ["cd9660", undefined],
      ["mfs", "md_image"],
    ]);
    expect(conf.modules.get("cd9660")?.origin).toEqual({ file: F, line: 2 });
  });
});
