import { describe, expect, it } from "vitest";
import { gzipSync } from "fflate";
import { sha256Hex } from "@pxe/http";
import { MemoryTransport, responseHead, type ScriptedConnection } from "@pxe/http/testing";
import { MODINFO, MODINFOMD, RB, decodeModinfo, type BootImage } from "@pxe/kboot";
import { kbootCommands, type KbootPlugin } from "@pxe/console";
import { netLab, type NetLab } from "./net-harness.js";
import { E820, kernelElf, moduleElf } from "./kboot-fixtures.js";

type Files = Record<string, Uint8Array | string>;

/** A web server on 10.0.0.2:80 serving `files` by path (404 otherwise); paths in `truncated` send half the body and close. */
function site(files: Files, truncated: Set<string> = new Set()) {
  const log: string[] = [];
  const t = new MemoryTransport().listen("10.0.0.2", 80, async (c: ScriptedConnection) => {
    for (let req = await c.readRequest(); req; req = await c.readRequest()) {
      log.push(req.target);
      const body = files[req.target];
      if (body === undefined) {
        c.send(responseHead(404, "Not Found", [["Content-Length", "0"]]));
        continue;
      }
      const bytes = typeof body === "string" ? Uint8Array.from(body, (ch) => ch.charCodeAt(0)) : body;
      c.send(responseHead(200, "OK", [["Content-Length", String(bytes.length)]]));
      if (truncated.has(req.target)) {
        c.send(bytes.subarray(0, bytes.length >> 1));
        c.end();
        return;
      }
      c.send(bytes);
    }
    c.end();
  });
  return { t, log };
}

interface Lab {
  lab: NetLab;
  kboot: KbootPlugin;
  booted: BootImage[];
  log: string[];
  run(line: string): Promise<string>;
}

function loaderLab(files: Files, o: { truncated?: Set<string>; booter?: boolean; e820?: typeof E820 } = {}): Lab {
  const { t, log } = site(files, o.truncated);
  const booted: BootImage[] = [];
  let kboot: KbootPlugin | undefined;
  const lab = netLab({
    http: t,
    plugins: (network) => {
      kboot = kbootCommands({
        network,
        memory: () => ({ e820: o.e820 ?? E820, reserved: [{ base: 0, length: 0x100000 }] }),
        ...(o.booter === false ? {} : { booter: async (image: BootImage) => {
          booted.push(image);
          return undefined as never;
        } }),
      });
      return [kboot];
    },
  });
  return { lab, kboot: kboot!, booted, log, run: (line) => lab.run(line) };
}

const KERNEL = kernelElf();
const TREE: Files = {
  "/freebsd/boot/kernel/kernel": KERNEL,
  "/freebsd/boot/kernel/depmod.ko": moduleElf("depmod", ["basemod"]),
  "/freebsd/boot/kernel/basemod.ko": moduleElf("basemod"),
  "/freebsd/boot/mfsroot": "ISO-IMAGE".repeat(100),
  "/freebsd/boot/device.hints": 'hint.uart.0.at="isa"\nhint.uart.0.port="0x3F8"\n',
  "/freebsd/boot/loader.conf": [
    'autoboot_delay="-1"',
    'console="comconsole"',
    'vfs.root.mountfrom="cd9660:/dev/md0"',
    'depmod_load="YES"',
    'mfsroot_load="YES"',
    'mfsroot_type="md_image"',
    'mfsroot_name="/boot/mfsroot"',
  ].join("\n"),
};

describe("loader commands: boot-conf, lsmod, kenv, boot", () => {
  it("boot-conf reads loader.conf, loads kernel, module + its dependency, md_image, and hands the Booter an image with flags and kenv", async () => {
    const L = loaderLab(TREE);
    const out = await L.run("boot-conf http://10.0.0.2/freebsd/");
    expect(out).toContain("reading /boot/loader.conf");
    expect(out).toContain("/boot/kernel/depmod.ko needs module basemod");
    expect(out).toMatch(/booting \/boot\/kernel\/kernel \(amd64, 4 files, howto 0x1000\)/);
    expect(L.booted.length).toBe(1);
    const img = L.booted[0] as BootImage & { files: Array<{ name: string; type: string }> };
    expect(img.files.map((f) => [f.name, f.type])).toEqual([
      ["/boot/kernel/kernel", "elf64 kernel"],
      ["/boot/kernel/depmod.ko", "elf obj module"],
      ["/boot/kernel/basemod.ko", "elf obj module"],
      ["/boot/mfsroot", "md_image"],
    ]);
    const kenv = piece(img, "kenv");
    expect(kenv).toContain("vfs.root.mountfrom=cd9660:/dev/md0\0");
    expect(kenv).toContain("hint.uart.0.port=0x3F8\0");
    expect(kenv).toContain("hw.uart.console=io:0x3f8,br:115200\0");
    expect(kenv).not.toMatch(/(^|\0)loader_conf_files=/);
    expect(howtoOf(img)).toBe(RB.SERIAL);
    expect(L.log).toContain("/freebsd/boot/defaults/loader.conf");
    // lsmod after the fact shows what the kernel got
    const ls = await L.run("lsmod");
    expect(ls).toMatch(/0x00200000 +\d+ +\/boot\/kernel\/kernel +elf64 kernel/);
    expect(ls).toMatch(/\/boot\/mfsroot +md_image/);
    expect(ls).toContain("/boot/kernel/basemod.ko <- http://10.0.0.2/freebsd/boot/kernel/basemod.ko");
  });

  it("a typed file of the release defaults that is nowhere (hostuuid /etc/hostid) is reported and skipped; a missing module still stops", async () => {
    // Only the defaults file is read here (it names no loader_conf_files), so it also turns the countdown off.
    const conf = 'autoboot_delay="-1"\nhostuuid_load="YES"\nhostuuid_name="/etc/hostid"\nhostuuid_type="hostuuid"\n';
    const L = loaderLab({ ...TREE, "/freebsd/boot/defaults/loader.conf": conf });
    const out = await L.run("boot-conf http://10.0.0.2/freebsd/");
    expect(out).toMatch(/hostuuid .*not found: .*\/etc\/hostid is 404.*; skipped, as FreeBSD's loader boots without a missing hostuuid file/);
    expect(L.booted.length).toBe(1);
    const names = (L.booted[0] as BootImage & { files: Array<{ name: string }> }).files.map((f) => f.name);
    expect(names).not.toContain("/etc/hostid");
    const M = loaderLab({ ...TREE, "/freebsd/boot/defaults/loader.conf": 'autoboot_delay="-1"\nnosuch_load="YES"\n' });
    expect(await M.run("boot-conf http://10.0.0.2/freebsd/")).toMatch(/^error: .*nosuch.* not found/m);
    expect(M.booted.length).toBe(0);
  });

  it("boot -s -v: flags become howto bits and boot_* kenv; set/unset/show change the kenv, http.proxy stays a setting", async () => {
    const L = loaderLab(TREE);
    await L.run("set boot.base=http://10.0.0.2/freebsd/");
    expect(await L.run("load /boot/kernel/kernel")).toContain("/boot/kernel/kernel loaded as elf64 kernel");
    await L.run("set kern.hz=100 foo=bar");
    await L.run("set http.proxy=http://10.0.0.9:3128");
    await L.run("unset foo");
    await L.run("unset http.proxy");
    expect(await L.run("show kern.hz")).toBe("kern.hz=100\n");
    expect(await L.run("show kenv")).toMatch(/kern\.hz: +100/);
    expect(await L.run("boot -x")).toMatch(/^error: unknown boot flag '-x'/);
    await L.run("boot -s -v");
    expect(L.booted.length).toBe(1);
    const kenv = piece(L.booted[0], "kenv");
    expect(kenv).toContain("kern.hz=100\0");
    expect(kenv).not.toContain("foo=");
    expect(kenv).toContain("boot_single=YES\0");
    expect(kenv).toContain("boot_verbose=YES\0");
    expect(kenv).not.toContain("hw.uart.console");
    expect(howtoOf(L.booted[0])).toBe(RB.SINGLE | RB.VERBOSE);
  });

  it("a 404 kernel, a module that is not ELF, a truncated download, a wrong checksum: clear errors, nothing booted, boot works after the fix", async () => {
    const files: Files = { ...TREE, "/freebsd/boot/kernel/junk.ko": "this is not ELF at all", "/freebsd/boot/trunc": new Uint8Array(50_000) };
    const L = loaderLab(files, { truncated: new Set(["/freebsd/boot/trunc"]) });
    await L.run("set boot.base=http://10.0.0.2/freebsd/");
    expect(await L.run("load /boot/nokernel/kernel")).toMatch(/^error: load: kernel not found: http:\/\/10\.0\.0\.2\/freebsd\/boot\/nokernel\/kernel is 404/m);
    await L.run("load /boot/kernel/kernel");
    expect(await L.run("load /boot/kernel/junk.ko")).toMatch(/error: load: http:\/\/10\.0\.0\.2\/freebsd\/boot\/kernel\/junk\.ko: .*ELF/);
    expect(await L.run("load -t md_image /boot/trunc")).toMatch(/error: load: .*(truncat|closed|ended)/i);
    const wrong = "0".repeat(64);
    expect(await L.run(`load -t md_image --sha256 ${wrong} /boot/mfsroot`)).toMatch(/error: http:\/\/10\.0\.0\.2\/freebsd\/boot\/mfsroot: SHA-256 mismatch: expected 0{64}/);
    expect(await L.run("lsmod")).not.toMatch(/junk|trunc|mfsroot/);
    expect(L.booted.length).toBe(0);
    const right = sha256Hex(Uint8Array.from(TREE["/freebsd/boot/mfsroot"] as string, (c) => c.charCodeAt(0)));
    expect(await L.run(`load -t md_image --sha256 ${right} /boot/mfsroot`)).toContain("SHA-256 OK");
    await L.run("boot");
    expect(L.booted.length).toBe(1);
  });

  it("a bad loader.conf line names the file and line; an image that does not fit is refused; no Booter on Node is a clear error", async () => {
    const L = loaderLab({ ...TREE, "/freebsd/boot/loader.conf": 'a="1"\nkernel="kern\n' });
    expect(await L.run("boot-conf http://10.0.0.2/freebsd/boot/")).toMatch(/^error: \/boot\/loader\.conf:2: unclosed quote/m);
    expect(L.booted.length).toBe(0);
    // 8 MiB of RAM above 1 MiB: a 7 MiB file after the kernel at 2 MiB does not fit
    const small = [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x100000, length: 0x800000, type: 1 }];
    const big = loaderLab({ ...TREE, "/freebsd/boot/big": new Uint8Array(7 * 1024 * 1024) }, { e820: small });
    await big.run("set boot.base=http://10.0.0.2/freebsd/");
    await big.run("load kernel");
    expect(await big.run("load -t md_image /boot/big")).toContain("loaded as md_image");
    expect(await big.run("boot")).toMatch(/^error: boot: .*big/m);
    expect(big.booted.length).toBe(0);
    await big.run("unload big");
    await big.run("boot");
    expect(big.booted.length).toBe(1);
    const node = loaderLab(TREE, { booter: false });
    await node.run("set boot.base=http://10.0.0.2/freebsd/");
    expect(await node.run("boot")).toMatch(/error: boot: this console cannot start a kernel/);
  });

  it("include reads a loader.conf into kenv and the module table, runs exec lines, names a bad line; unload forgets files", async () => {
    const L = loaderLab({
      ...TREE,
      "/extra.conf": 'exec="set from.exec=1"\nkern.maxusers="32"\nbasemod_load="YES"\n',
      "/bad.conf": 'ok="1"\n\n  = "x"\n',
    });
    await L.run("include http://10.0.0.2/extra.conf");
    expect(await L.run("show kern.maxusers")).toBe("kern.maxusers=32\n");
    expect(await L.run("show from.exec")).toBe("from.exec=1\n");
    expect(await L.run("include http://10.0.0.2/bad.conf")).toMatch(/^error: http:\/\/10\.0\.0\.2\/bad\.conf:3: a line starts with a name/m);
    expect(await L.run("show ok")).not.toContain("ok=1");
    expect(await L.run("include http://10.0.0.2/missing.conf")).toMatch(/^error: include: .*missing\.conf: not found/m);
    await L.run("set boot.base=10.0.0.2/freebsd");
    await L.run("load kernel");
    expect(await L.run("load depmod")).toContain("/boot/kernel/depmod.ko loaded as elf obj module");
    expect(await L.run("lsmod")).toMatch(/basemod\.ko/);
    expect(await L.run("unload depmod.ko")).toContain("unloaded /boot/kernel/depmod.ko, /boot/kernel/basemod.ko");
    expect(await L.run("lsmod")).not.toMatch(/depmod|basemod/);
    expect(await L.run("unload")).toContain("1 file unloaded");
    expect(await L.run("lsmod")).toBe("nothing loaded\n");
  });

  it("gzip files load inflated (kernel.gz found for kernel); a kernel_sha256 in loader.conf is checked", async () => {
    const gz = gzipSync(KERNEL);
    const L = loaderLab({
      "/freebsd/boot/kernel/kernel.gz": gz,
      "/freebsd/boot/loader.conf": `autoboot_delay="0"\nkernel_sha256="${sha256Hex(gz)}"\n`,
    });
    const out = await L.run("boot-conf http://10.0.0.2/freebsd/");
    expect(out).toMatch(new RegExp(`kernel\\.gz: gzip, ${gz.length} -> ${KERNEL.length} bytes, inflated in \\d+\\.\\d\\d s \\((\\d[\\d.]* [kM]B/s|-- MB/s)\\)\n`));
    expect(out).toContain("SHA-256 OK");
    expect(L.booted.length).toBe(1);
    const bad = loaderLab({ "/freebsd/boot/kernel/kernel.gz": gz, "/freebsd/boot/loader.conf": `kernel_sha256="${"1".repeat(64)}"\n` });
    expect(await bad.run("boot-conf http://10.0.0.2/freebsd/")).toMatch(/SHA-256 mismatch/);
    expect(bad.booted.length).toBe(0);
  });

  it("the autoboot countdown stops on any key, leaving everything loaded for boot", async () => {
    const L = loaderLab({ ...TREE, "/freebsd/boot/loader.conf.local": 'autoboot_delay="5"\n' });
    const tc = L.lab.console;
    tc.clearOutput();
    tc.input.push("boot-conf http://10.0.0.2/freebsd/\n");
    expect(await tc.until(() => tc.output().includes("Booting [/boot/kernel/kernel] in 5 seconds"), { max: 200_000 })).toBe(true);
    tc.input.push("x");
    expect(await tc.until(() => !tc.session.busy && tc.output().endsWith("pxehttp> "), { max: 1000, advanceMs: 50 })).toBe(true);
    expect(tc.output()).toContain("autoboot stopped");
    expect(L.booted.length).toBe(0);
    await L.run("boot");
    expect(L.booted.length).toBe(1);
  });

  it("autoboot_delay=NO loads but does not boot; module_blacklist keeps a module out", async () => {
    const L = loaderLab({ ...TREE, "/freebsd/boot/loader.conf.local": 'autoboot_delay="NO"\nmodule_blacklist="depmod other"\n' });
    const out = await L.run("boot-conf http://10.0.0.2/freebsd/");
    expect(out).toContain("not loading depmod: it is in module_blacklist");
    expect(out).toContain("autoboot_delay=NO: not booting by itself");
    expect(L.booted.length).toBe(0);
    expect(await L.run("lsmod")).not.toMatch(/depmod|basemod/);
    await L.run("boot");
    expect(L.booted.length).toBe(1);
  });

  it("the countdown boots when nobody presses a key", async () => {
    const L = loaderLab({ ...TREE, "/freebsd/boot/loader.conf.local": 'autoboot_delay="2"\n' });
    const tc = L.lab.console;
    tc.input.push("boot-conf http://10.0.0.2/freebsd/\n");
    expect(await tc.until(() => L.booted.length === 1, { max: 200_000, advanceMs: 5 })).toBe(true);
    expect(tc.output()).toContain("Booting [/boot/kernel/kernel] in 1 second...");
  });
});

function piece(img: BootImage, name: string): string {
  const p = img.pieces.find((x) => x.name === name);
  if (!p) throw new Error(`no piece '${name}' in ${img.pieces.map((x) => x.name).join(", ")}`);
  return String.fromCharCode.apply(null, Array.from(p.data));
}

/** MODINFOMD_HOWTO from the image's metadata (what the kernel reads as boothowto). */
function howtoOf(img: BootImage): number {
  const meta = (img as BootImage & { metadata: Uint8Array }).metadata;
  const rec = (decodeModinfo(meta, 64) ?? []).find((r) => r.type === (MODINFO.METADATA | MODINFOMD.HOWTO));
  if (!rec) throw new Error("no MODINFOMD_HOWTO record");
  return new DataView(rec.data.buffer, rec.data.byteOffset, 4).getUint32(0, true);
}
