import { describe, expect, it } from "vitest";
import { utf8Bytes } from "@pxe/core";
import { LoaderConfError, kernelCandidates, moduleCandidates, modulePathAfterKernel, readLoaderConf } from "@pxe/kboot";

function tree(files: Record<string, string>) {
  const reads: string[] = [];
  const execs: string[] = [];
  return {
    reads,
    execs,
    source: {
      async read(path: string) {
        reads.push(path);
        return path in files ? utf8Bytes(files[path]) : null;
      },
      exec(cmd: string, o: { file: string; line: number }) {
        execs.push(`${o.file}:${o.line} ${cmd}`);
      },
    },
  };
}

describe("readLoaderConf: FreeBSD's order", () => {
  it("reads defaults, then loader_conf_files (device.hints, loader.conf), then loader.conf.local; later files win", async () => {
    const t = tree({
      "/boot/defaults/loader.conf": [
        'exec="echo Loading /boot/defaults/loader.conf"',
        'kernel="kernel"',
        'bootfile="kernel"',
        'loader_conf_files="/boot/device.hints /boot/loader.conf"',
        'local_loader_conf_files="/boot/loader.conf.local"',
        'autoboot_delay="10"',
        'module_path="/boot/modules"',
      ].join("\n"),
      "/boot/device.hints": 'hint.uart.0.at="isa"\nhint.uart.0.port="0x3F8"',
      "/boot/loader.conf": 'autoboot_delay="3"\ncd9660_load="YES"\nloader_conf_files="/boot/extra.conf"',
      "/boot/extra.conf": 'extra="1"\nautoboot_delay="4"',
      "/boot/loader.conf.local": 'autoboot_delay="2"',
    });
    const conf = await readLoaderConf(t.source);
    expect(t.reads).toEqual(["/boot/defaults/loader.conf", "/boot/device.hints", "/boot/loader.conf", "/boot/extra.conf", "/boot/loader.conf.local"]);
    expect(conf.get("autoboot_delay")).toBe("2");
    expect(conf.get("hint.uart.0.port")).toBe("0x3F8");
    expect(conf.get("extra")).toBe("1");
    expect(conf.toLoad().map((m) => m.key)).toEqual(["cd9660"]);
    expect(t.execs).toEqual(["/boot/defaults/loader.conf:1 echo Loading /boot/defaults/loader.conf"]);
  });
  it("without a defaults file reads device.hints, loader.conf and loader.conf.local; missing files are fine", async () => {
    const t = tree({ "/boot/loader.conf": 'a="1"' });
    const conf = await readLoaderConf(t.source);
    expect(t.reads).toEqual(["/boot/defaults/loader.conf", "/boot/device.hints", "/boot/loader.conf", "/boot/loader.conf.local"]);
    expect(conf.get("a")).toBe("1");
  });
  it("reads each file once even when files name each other", async () => {
    const t = tree({ "/boot/loader.conf": 'loader_conf_files="/boot/loader.conf /boot/b"', "/boot/b": 'loader_conf_files="/boot/loader.conf"' });
    await readLoaderConf(t.source);
    expect(t.reads.filter((r) => r === "/boot/loader.conf").length).toBe(1);
  });
  it("a bad line rejects with the file and line", async () => {
    const t = tree({ "/boot/loader.conf": 'ok="1"\n\nbroken="x' });
    await expect(readLoaderConf(t.source)).rejects.toThrow(LoaderConfError);
    await expect(readLoaderConf(tree({ "/boot/loader.conf": 'ok="1"\n\nbroken="x' }).source)).rejects.toThrow(/^\/boot\/loader\.conf:3: unclosed quote/);
  });
});

describe("where the kernel and modules are looked for", () => {
  const env = (o: Record<string, string>) => ({ get: (k: string) => o[k] });
  it("kernel=K bootfile=B: /boot/K/B, then /boot/K/kernel, K/..., K; each also .gz", () => {
    expect(kernelCandidates(env({})).map((c) => c.path)).toEqual(["/boot/kernel/kernel", "/boot/kernel/kernel.gz", "/kernel/kernel", "/kernel/kernel.gz", "/kernel", "/kernel.gz"]);
    expect(kernelCandidates(env({ kernel: "GENERIC", bootfile: "kern" })).slice(0, 4).map((c) => c.path)).toEqual([
      "/boot/GENERIC/kern",
      "/boot/GENERIC/kern.gz",
      "/boot/GENERIC/kernel",
      "/boot/GENERIC/kernel.gz",
    ]);
    expect(kernelCandidates(env({}), "kernel.old")[0]).toEqual({ path: "/boot/kernel.old/kernel", dir: "/boot/kernel.old" });
  });
  it("modules: NAME.ko then NAME in each module_path directory; typed files and paths as named", () => {
    expect(moduleCandidates("cd9660", "/boot/kernel;/boot/modules", false).map((c) => c.path)).toEqual([
      "/boot/kernel/cd9660.ko",
      "/boot/kernel/cd9660.ko.gz",
      "/boot/kernel/cd9660",
      "/boot/kernel/cd9660.gz",
      "/boot/modules/cd9660.ko",
      "/boot/modules/cd9660.ko.gz",
      "/boot/modules/cd9660",
      "/boot/modules/cd9660.gz",
    ]);
    expect(moduleCandidates("/boot/mfsroot", undefined, true).map((c) => c.path)).toEqual(["/boot/mfsroot", "/boot/mfsroot.gz"]);
  });
  it("module_path gets the kernel's directory first", () => {
    expect(modulePathAfterKernel(undefined, "/boot/kernel")).toBe("/boot/kernel;/boot/modules");
    expect(modulePathAfterKernel("/boot/modules;/boot/kernel", "/boot/kernel")).toBe("/boot/kernel;/boot/modules");
  });
});
