// linux/initrd and multiboot/module on the loader console, over an
// in-memory web server, with a Booter that records the image it was given.
import { describe, expect, it } from "vitest";
import { gzipSync } from "fflate";
import { MemoryTransport, responseHead, type ScriptedConnection } from "@pxe/http/testing";
import type { BootImage } from "@pxe/kboot";
import { kbootCommands } from "@pxe/console";
import { netLab } from "./net-harness.js";
import { E820 } from "./kboot-fixtures.js";

/** A bzImage header as boot.rst describes it (protocol 2.15, relocatable, init_size 4 MiB) and 4 KiB of kernel. */
function bzImage(version = 0x020f): Uint8Array {
  const b = new Uint8Array(5 * 512 + 4096).fill(0x5a, 5 * 512);
  const put = (o: number, v: number, n: number) => {
    for (let i = 0; i < n; i++) b[o + i] = (v >>> (8 * i)) & 0xff;
  };
  b[0x1f1] = 4;
  put(0x1fe, 0xaa55, 2);
  b[0x201] = 0x6a;
  put(0x202, 0x53726448, 4);
  put(0x206, version, 2);
  b[0x211] = 1;
  put(0x214, 0x100000, 4);
  put(0x22c, 0x7fffffff, 4);
  put(0x230, 0x200000, 4);
  b[0x234] = 1;
  put(0x238, 0x7ff, 4);
  put(0x258, 0x1000000, 4);
  put(0x260, 0x400000, 4);
  return b;
}

/** An a.out-kludge Multiboot kernel loaded at 1 MiB asking for page-aligned modules. */
function multibootKernel(): Uint8Array {
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  const flags = 0x10003;
  [0x1badb002, flags, (-(0x1badb002 + flags)) >>> 0, 0x100000, 0x100000, 0, 0, 0x100040].forEach((v, i) => dv.setUint32(i * 4, v, true));
  return b;
}

function lab(files: Record<string, Uint8Array>, withMemory = true) {
  const t = new MemoryTransport().listen("10.0.0.2", 80, async (c: ScriptedConnection) => {
    for (let req = await c.readRequest(); req; req = await c.readRequest()) {
      const body = files[req.target];
      c.send(responseHead(body ? 200 : 404, body ? "OK" : "Not Found", [["Content-Length", String(body ? body.length : 0)]]));
      if (body) c.send(body);
    }
    c.end();
  });
  const booted: BootImage[] = [];
  const l = netLab({
    http: t,
    plugins: (network) => [
      kbootCommands({
        network,
        ...(withMemory ? { memory: () => ({ e820: E820, reserved: [{ base: 0, length: 0x100000 }] }) } : {}),
        booter: async (image: BootImage) => {
          booted.push(image);
          return undefined as never;
        },
      }),
    ],
  });
  return { run: (line: string) => l.run(line), booted };
}

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const piece = (img: BootImage, name: string) => img.pieces.find((p) => p.name === name)!;

describe("linux and initrd", () => {
  const files = { "/d/vmlinuz": bzImage(), "/d/a.img": text("070701AAA"), "/d/b.img.gz": gzipSync(text("BB")), "/d/old": bzImage(0x0204), "/d/junk": text("<html>") };

  it("loads a bzImage with its command line and two initrds (not inflated) and boots them", async () => {
    const L = lab(files);
    expect(await L.run("linux http://10.0.0.2/d/vmlinuz console=ttyS0 root=/dev/ram0")).toContain("http://10.0.0.2/d/vmlinuz: Linux bzImage, boot protocol 2.15, 6656 bytes");
    expect(await L.run("initrd http://10.0.0.2/d/a.img http://10.0.0.2/d/b.img.gz")).toContain("2 initrds, 31 bytes");
    const ls = await L.run("lsmod");
    expect(ls).toMatch(/linux kernel +6656 +http:\/\/10\.0\.0\.2\/d\/vmlinuz +console=ttyS0 root=\/dev\/ram0/);
    expect(ls).toMatch(/initrd +22 +http:\/\/10\.0\.0\.2\/d\/b\.img\.gz/);
    expect(await L.run("boot")).toContain("booting linux http://10.0.0.2/d/vmlinuz (2 initrds) ...");
    const img = L.booted[0];
    expect(img.entry).toMatchObject({ kind: "protected32", eip: 0x1000000 });
    expect(Array.from(piece(img, "cmdline").data)).toEqual(Array.from(text("console=ttyS0 root=/dev/ram0\0")));
    const initrd = piece(img, "initrd").data;
    expect(Array.from(initrd.subarray(0, 12))).toEqual(Array.from(text("070701AAA\0\0\0")));
    expect(Array.from(initrd.subarray(12))).toEqual(Array.from(gzipSync(text("BB"))).concat(new Array(initrd.length - 12 - 22).fill(0)));
  });

  it("refuses what it cannot boot with a clear error, and boots after the fix", async () => {
    const L = lab(files);
    expect(await L.run("initrd http://10.0.0.2/d/a.img")).toMatch(/^error: initrd: no Linux kernel is loaded: 'linux URL \[CMDLINE\]' first/m);
    expect(await L.run("linux http://10.0.0.2/d/junk")).toMatch(/^error: linux: http:\/\/10\.0\.0\.2\/d\/junk: not a kernel \(text starting with '<'/m);
    expect(await L.run("linux http://10.0.0.2/d/old")).toMatch(/^error: linux: http:\/\/10\.0\.0\.2\/d\/old: Linux boot protocol 2\.04 is too old/m);
    expect(await L.run("linux http://10.0.0.2/d/nothere")).toMatch(/^error: linux: kernel not found: http:\/\/10\.0\.0\.2\/d\/nothere is 404/m);
    expect(await L.run("multiboot http://10.0.0.2/d/vmlinuz")).toMatch(/is a Linux bzImage, not a Multiboot kernel: use 'linux URL \[CMDLINE\]'/);
    expect(await L.run("load http://10.0.0.2/d/vmlinuz")).toMatch(/is a Linux bzImage, not a FreeBSD kernel: use 'linux URL \[CMDLINE\]'/);
    expect(await L.run("linux http://10.0.0.2/d/vmlinuz " + "x".repeat(3000))).toContain("Linux bzImage");
    expect(await L.run("boot")).toMatch(/^error: boot: http:\/\/10\.0\.0\.2\/d\/vmlinuz: command line of 3000 bytes is longer than the 2047 the kernel takes/m);
    expect(L.booted.length).toBe(0);
    await L.run("linux http://10.0.0.2/d/vmlinuz quiet");
    await L.run("boot");
    expect(L.booted.length).toBe(1);
  });

  it("says when an initrd does not fit in memory", async () => {
    const L = lab({ "/vmlinuz": bzImage(), "/big": new Uint8Array(0x8000000) });
    await L.run("linux http://10.0.0.2/vmlinuz");
    await L.run("initrd http://10.0.0.2/big");
    expect(await L.run("boot")).toMatch(/^error: boot: initrd http:\/\/10\.0\.0\.2\/big \(134217728 bytes\): does not fit in free usable memory below initrd_addr_max 0x7fffffff/m);
    expect(L.booted.length).toBe(0);
  }, 60_000);
});

describe("multiboot and module", () => {
  it("loads a Multiboot kernel and modules (gzip inflated, as GRUB does) with their strings, page-aligned, and boots them", async () => {
    const L = lab({ "/mb": multibootKernel(), "/m1.gz": gzipSync(text("module one")), "/m2": text("two") });
    expect(await L.run("module http://10.0.0.2/m2")).toMatch(/^error: module: no Multiboot kernel is loaded/m);
    expect(await L.run("multiboot http://10.0.0.2/mb hello world")).toContain("Multiboot kernel (header flags 0x10003), 256 bytes");
    await L.run("module http://10.0.0.2/m1.gz first arg");
    await L.run("module http://10.0.0.2/m2");
    expect(await L.run("boot -s")).toMatch(/^error: boot: '-s': a Multiboot kernel takes no boot flags/m);
    await L.run("boot");
    const img = L.booted[0];
    expect(img.entry).toMatchObject({ kind: "protected32", eip: 0x100040, regs: { eax: 0x2badb002 } });
    const mods = img.pieces.filter((p) => p.name.indexOf("module ") === 0);
    expect(mods.map((m) => [m.dest % 4096, String.fromCharCode(...m.data)])).toEqual([[0, "module one"], [0, "two"]]);
    const info = piece(img, "multiboot info");
    const s = String.fromCharCode(...info.data);
    expect(s).toContain("http://10.0.0.2/mb hello world\0pxehttp\0http://10.0.0.2/m1.gz first arg\0http://10.0.0.2/m2\0");
  });
});
