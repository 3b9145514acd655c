// Network test (root): the Node CLI `pxe --tap IF` runs the FreeBSD loader
// commands against python's http.server serving a FreeBSD-shaped boot/ tree
// in a network namespace this test makes (tools/lab), directly and through
// tinyproxy. Real TCP, real HTTP: boot-conf reads loader.conf, loads the
// kernel, a module with its dependency and a gzip md_image, and ends with
// Node's clear "cannot start a kernel"; a 404 and a non-ELF module give
// their errors and the console goes on. Needs Debian socat, iproute2,
// python3, tinyproxy.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gzipSync } from "fflate";
import { LabNetns } from "../../../tools/lab/lab.js";
import { startConsole } from "../../../tools/lab/console.js";
import { startPythonHttp, startTinyproxy } from "../../../tools/lab/servers.js";
import { kernelElf, moduleElf } from "./kboot-fixtures.js";

const SUBNET = "10.215.19";
const LINUX = `${SUBNET}.1`;
let lab: LabNetns | undefined;

afterAll(async () => {
  await lab?.close();
});

describe("pxe --tap: FreeBSD loader commands against a served boot/ tree", () => {
  it("boot-conf, lsmod, show, load errors, boot-conf through a proxy", async () => {
    const l = (lab = await LabNetns.create({ name: "kbc", subnet: SUBNET }));
    const root = Uint8Array.from({ length: 300_000 }, (_, i) => (i % 512 < 300 ? 0 : (i * 7) & 255));
    l.writeFile("freebsd/boot/kernel/kernel", kernelElf());
    l.writeFile("freebsd/boot/kernel/depmod.ko", moduleElf("depmod", ["basemod"]));
    l.writeFile("freebsd/boot/kernel/basemod.ko", moduleElf("basemod"));
    l.writeFile("freebsd/boot/kernel/junk.ko", "not an ELF file\n");
    l.writeFile("freebsd/boot/mfsroot.gz", gzipSync(root));
    l.writeFile("freebsd/boot/device.hints", 'hint.uart.0.at="isa"\n');
    l.writeFile(
      "freebsd/boot/loader.conf",
      ['autoboot_delay="-1"', 'console="comconsole"', 'vfs.root.mountfrom="cd9660:/dev/md0"', 'depmod_load="YES"', 'mfsroot_load="YES"', 'mfsroot_type="md_image"', 'mfsroot_name="/boot/mfsroot"', ""].join("\n"),
    );

    const cli = await startConsole(l);
    l.addressTap();
    await startPythonHttp(l, 8080, { address: LINUX });
    const proxy = await startTinyproxy(l, 3128, { address: LINUX });
    const base = `http://${LINUX}:8080/freebsd/`;
    cli.proc.stdin!.end(
      [`ifconfig ${SUBNET}.2/24`, `boot-conf ${base}`, "lsmod", "show vfs.root.mountfrom", "show hint.uart.0.at",
        "load /boot/kernel/junk.ko", "load /boot/nothere.ko", "lsmod",
        `set http.proxy=http://${LINUX}:3128`, "boot-conf", "quit", ""].join("\n"),
    );
    const code = await Promise.race([cli.exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 90_000))]);
    const out = cli.out;
    expect(code, `stdout:\n${out}\nstderr:\n${cli.err}`).toBe(0);
    if (process.env.PXE_SHOW_OUTPUT) process.stderr.write(out);

    expect(out).toContain("reading /boot/loader.conf\n");
    expect(out).toContain("reading /boot/device.hints\n");
    expect(out).toContain("/boot/kernel/depmod.ko needs module basemod\n");
    expect(out).toMatch(/mfsroot\.gz: gzip, \d+ -> 300000 bytes, inflated in \d+\.\d\d s \((\d[\d.]* [kM]B\/s|-- MB\/s)\)\n/);
    expect(out).toContain("error: boot: this console cannot start a kernel");
    // lsmod: the four files the kernel would get, in order, with their types
    const ls = /pxehttp> lsmod\n([\s\S]*?)pxehttp> /.exec(out)?.[1] ?? "";
    expect(ls).toMatch(/0x00200000 +\d+ +\/boot\/kernel\/kernel +elf64 kernel\n.*\/boot\/kernel\/depmod\.ko +elf obj module\n.*\/boot\/kernel\/basemod\.ko +elf obj module\n.*\/boot\/mfsroot +md_image\n/);
    expect(out).toContain("pxehttp> show vfs.root.mountfrom\nvfs.root.mountfrom=cd9660:/dev/md0\n");
    expect(out).toContain("pxehttp> show hint.uart.0.at\nhint.uart.0.at=isa\n");
    expect(out).toMatch(/error: load: http:\/\/10\.215\.19\.1:8080\/freebsd\/boot\/kernel\/junk\.ko: .*ELF/);
    expect(out).toMatch(/error: load: module not found: http:\/\/10\.215\.19\.1:8080\/freebsd\/boot\/nothere\.ko is 404/);
    // the failed loads added nothing
    const ls2 = out.split("pxehttp> lsmod\n")[2] ?? "";
    expect(ls2).not.toMatch(/junk|nothere/);
    // the second boot-conf went through tinyproxy
    const log = readFileSync(proxy.accessLog!, "utf8");
    expect(log).toMatch(/GET http:\/\/10\.215\.19\.1:8080\/freebsd\/boot\/kernel\/kernel/);
    expect(log).toMatch(/GET http:\/\/10\.215\.19\.1:8080\/freebsd\/boot\/kernel\/basemod\.ko/);
    expect(out.endsWith("pxehttp> quit\n")).toBe(true);
  }, 150_000);
});
