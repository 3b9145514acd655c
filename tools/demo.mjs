#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds pxehttp.0 and PXE-boots it
// in QEMU (TCG) with the serial console on this terminal.
//
// With a terminal: interactive (-nographic); quit with Ctrl-A X.
// Without one (stdin not a TTY, e.g. CI): prints the boot, types a session
// (show, ls, a fetch checked by SHA-256, files, rm, poweroff) and exits 0 when
// the fetch's checksum was OK and QEMU powered off.
//
// Both serve a small directory over HTTP on the host (python3 http.server on
// 127.0.0.1; the guest sees it at 10.0.2.2): hello.txt, small.bin (64 KiB),
// medium.bin (1 MiB), big.bin (16 MiB) and SHA256SUMS. The banner and the
// guest's boot config (pxehttp.cfg/default) say what to type.
//
// Environment: PXE_DEMO_NIC (default e1000), PXE_DEMO_MEM (MiB, default 256).
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
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
if (!have("python3")) want.push("python3");
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

// 4. files for the guest to fetch: a small directory served over HTTP on the
// host's loopback (the guest reaches it as 10.0.2.2), with SHA-256 sums.
const files = mkdtempSync(join(tmpdir(), "pxe-demo-files-"));
const sizes = { "small.bin": 64 * 1024, "medium.bin": 1024 * 1024, "big.bin": 16 * 1024 * 1024 };
const sums = {};
writeFileSync(join(files, "hello.txt"), "Hello from the host! These files came over HTTP into the PXE-booted machine.\n");
for (const [name, size] of Object.entries(sizes)) {
  const data = randomBytes(size);
  writeFileSync(join(files, name), data);
  sums[name] = createHash("sha256").update(data).digest("hex");
}
writeFileSync(join(files, "SHA256SUMS"), Object.entries(sums).map(([n, h]) => `${h}  ${n}\n`).join(""));
const port = await freePort();
const http = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", files], { stdio: "ignore" });
const url = `http://10.0.2.2:${port}`;
const cleanup = () => {
  http.kill();
  rmSync(files, { recursive: true, force: true });
  rmSync(tftp, { recursive: true, force: true });
};
process.on("exit", cleanup);

// The TFTP directory: pxehttp.0, its loader, and a boot config whose lines
// the console runs at start-up (here: what to type).
const built = join(root, "packages", "nbp", "build");
const tftp = mkdtempSync(join(tmpdir(), "pxe-demo-tftp-"));
for (const f of ["pxehttp.0", "pxehttp.ldr"]) if (existsSync(join(built, f))) copyFileSync(join(built, f), join(tftp, f));
const hints = [
  `ls ${url}/`,
  `cat ${url}/hello.txt`,
  `fetch ${url}/big.bin --sha256 ${sums["big.bin"]}`,
  "files",
  "rm big.bin",
];
mkdirSync(join(tftp, "pxehttp.cfg"));
// Short lines (the echoed command line must fit the screen): the sum is in SHA256SUMS.
const guestHints = [`Demo files on the host at ${url}/ - try:`, `  ls ${url}/`, `  cat ${url}/SHA256SUMS`, `  fetch ${url}/big.bin --sha256 SUM`, "  files, then rm big.bin"];
writeFileSync(join(tftp, "pxehttp.cfg", "default"), guestHints.map((h) => `echo '${h}'`).join("\n") + "\n");
say(`serving ${files} at ${url}/ (the host's 127.0.0.1:${port}); at the pxehttp> prompt try:`);
for (const h of hints) say(`  ${h}`);

// 5. boot
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
  // Without a terminal: type the session the banner suggests, then poweroff.
  const script = ["show", `ls ${url}/`, `fetch ${url}/medium.bin --sha256 ${sums["medium.bin"]}`, "files", "rm medium.bin", "poweroff"];
  say(`no terminal: booting (${nic}, ${mem} MiB, TCG), then typing: ${script.join("; ")}`);
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
  // The boot config's echo lines come first: count prompts from the last one of them.
  const promptsBefore = 1 + guestHints.length;
  q.stdout.on("data", (d) => {
    process.stdout.write(d);
    out += d.toString("latin1");
    const prompts = out.split("pxehttp> ").length - 1;
    if (step < script.length && prompts >= promptsBefore + step) {
      q.stdin.write(script[step] + "\r");
      step++;
    }
  });
  q.stdin.on("error", () => {});
  q.on("exit", (code) => {
    clearTimeout(limit);
    process.stdout.write("\n");
    const fetched = /checksum OK, 1048576 bytes in memory as 'medium\.bin'/.test(out);
    const ok = step === script.length && code === 0 && fetched;
    say(ok ? `done: fetched medium.bin (checksum OK), QEMU powered off (exit ${code})` : `QEMU exited early or the fetch failed (exit ${code}, ${step}/${script.length} commands typed)`);
    process.exit(ok ? 0 : 1);
  });
  process.on("SIGINT", () => q.kill("SIGKILL"));
  process.on("SIGTERM", () => q.kill("SIGKILL"));
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(a.port));
    });
  });
}
