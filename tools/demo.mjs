#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds pxehttp.0 and PXE-boots it
// in QEMU (TCG) with the serial console on this terminal.
//
// With a terminal: interactive (-nographic); quit with Ctrl-A X.
// Without one (stdin not a TTY, e.g. CI): prints the boot, types `show` and
// `poweroff` once the prompt appears, and exits with QEMU's status.
//
// Environment: PXE_DEMO_NIC (default e1000), PXE_DEMO_MEM (MiB, default 256).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const say = (m) => process.stderr.write(`[demo] ${m}\n`);
const have = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) {
    say(`${cmd} ${args.join(" ")} failed`);
    process.exit(1);
  }
}

// 1. npm dependencies
if (!existsSync(join(root, "node_modules", ".bin", "esbuild")) || !existsSync(join(root, "node_modules", ".bin", "tsx"))) {
  say("node_modules missing: npm ci");
  sh("npm", ["ci", "--no-audit", "--no-fund"]);
}

// 2. Debian packages
const want = [];
if (!have("qemu-system-x86_64")) want.push("qemu-system-x86");
if (!existsSync("/usr/lib/ipxe/qemu/efi-e1000.rom")) want.push("ipxe-qemu");
if (!have("nasm")) want.push("nasm");
if (!have("gcc")) want.push("gcc");
const libgcc = spawnSync("gcc", ["-m32", "-print-libgcc-file-name"], { encoding: "utf8" });
if (libgcc.status !== 0 || !existsSync(libgcc.stdout.trim())) want.push("gcc-multilib");
const needMusl = !existsSync("/usr/lib/i386-linux-musl/libc.a");
if (needMusl) want.push("musl-dev:i386");
if (want.length) {
  if (process.getuid?.() !== 0) {
    say(`missing: ${want.join(" ")} — run as root or: sudo apt-get install ${want.join(" ")}`);
    process.exit(1);
  }
  if (needMusl) sh("dpkg", ["--add-architecture", "i386"]);
  say(`apt-get install ${want.join(" ")}`);
  sh("apt-get", ["update", "-qq"]);
  sh("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...want]);
}

// 3. build
say("building packages/nbp/build/pxehttp.0");
sh(process.execPath, [join(root, "packages", "nbp", "tools", "build.mjs")]);

// 4. boot
const tftp = join(root, "packages", "nbp", "build");
const nic = process.env.PXE_DEMO_NIC ?? "e1000";
const mem = process.env.PXE_DEMO_MEM ?? "256";
const base = [
  "-accel", "tcg", "-m", mem, "-no-reboot", "-boot", "n",
  "-netdev", `user,id=n0,tftp=${tftp},bootfile=pxehttp.0`, "-device", `${nic},netdev=n0`,
];
const interactive = process.stdin.isTTY && process.stdout.isTTY;

if (interactive) {
  say(`PXE-booting pxehttp.0 in QEMU (${nic}, ${mem} MiB, TCG). The console is this terminal.`);
  say("Type 'help' at the pxehttp> prompt; 'poweroff' ends the demo. Quit QEMU any time: Ctrl-A then X.");
  const q = spawn("qemu-system-x86_64", [...base, "-nographic"], { stdio: "inherit" });
  q.on("exit", (code) => {
    say(`QEMU exited (${code ?? "killed"})`);
    process.exit(code ?? 1);
  });
} else {
  say(`no terminal: booting (${nic}, ${mem} MiB, TCG), then typing 'show' and 'poweroff' at the prompt`);
  const q = spawn("qemu-system-x86_64", [...base, "-display", "none", "-serial", "stdio", "-monitor", "none"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  let step = 0;
  const limit = setTimeout(() => {
    say("no prompt within 300 s; stopping QEMU");
    q.kill("SIGKILL");
    process.exitCode = 1;
  }, 300_000);
  q.stdout.on("data", (d) => {
    process.stdout.write(d);
    out += d.toString("latin1");
    const prompts = out.split("pxehttp> ").length - 1;
    if (step === 0 && prompts >= 1) {
      step = 1;
      q.stdin.write("show\r");
    } else if (step === 1 && prompts >= 2) {
      step = 2;
      q.stdin.write("poweroff\r");
    }
  });
  q.stdin.on("error", () => {});
  q.on("exit", (code) => {
    clearTimeout(limit);
    process.stdout.write("\n");
    say(step === 2 ? `done: QEMU powered off (exit ${code})` : `QEMU exited early (${code})`);
    process.exit(step === 2 && code === 0 ? 0 : 1);
  });
  process.on("SIGINT", () => q.kill("SIGKILL"));
  process.on("SIGTERM", () => q.kill("SIGKILL"));
}
