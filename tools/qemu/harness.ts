/**
 * QEMU harness for system tests: PXE-boots a machine under TCG (never KVM:
 * /dev/kvm hangs here), with a chosen NIC model (iPXE ROMs from Debian's
 * ipxe-qemu), memory size and network, and drives its serial console.
 *
 *     const vm = startQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } });
 *     try {
 *       await vm.waitFor(/pxehttp> /, 120_000);
 *       vm.send("show");
 *       const m = await vm.waitFor(/ip:\s+(\S+)/, 10_000);
 *     } finally {
 *       await vm.kill();
 *     }
 *
 * Errors (timeouts, early exit) carry the tail of the serial log. Every
 * QEMU started here is also killed when the Node process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PxeError } from "@pxe/core";

/** NIC models with a PXE option ROM in Debian's ipxe-qemu. */
export type NicModel = "e1000" | "e1000e" | "rtl8139" | "virtio-net-pci" | "pcnet" | "ne2k_pci" | "i82559er" | "vmxnet3";

/** How the machine is networked. */
export type QemuNet =
  /** QEMU user-mode networking with its built-in DHCP and TFTP (guest 10.0.2.15, host 10.0.2.2). */
  | { kind: "user"; tftpDir: string; bootfile: string }
  /** An existing TAP interface (e.g. on a bridge where dnsmasq serves DHCP and TFTP). */
  | { kind: "tap"; ifname: string };

/** Options of {@link startQemu}. */
export interface QemuOptions {
  /** NIC model (default "e1000"). */
  nic?: NicModel;
  /** Guest RAM in MiB (default 128). */
  memoryMiB?: number;
  /** Network. */
  net: QemuNet;
  /** MAC (default QEMU's 52:54:00:12:34:56). */
  mac?: string;
  /** Run QEMU inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** More QEMU arguments. */
  extraArgs?: string[];
  /** Echo serial output to this function as it arrives (e.g. process.stdout.write). */
  echo?: (text: string) => void;
  /** QEMU binary (default qemu-system-x86_64). */
  qemu?: string;
  /** Open the QEMU monitor on a UNIX socket, for monitor() and sendKeys() (default false; not with serial "nographic"). */
  monitor?: boolean;
  /**
   * How the serial console is wired (default "stdio": `-display none -serial
   * stdio`); "nographic" is `-nographic` as `npm run demo` and the dnsmasq
   * guide run it (SeaBIOS then also reads COM1 as its own console).
   */
  serial?: "stdio" | "nographic";
}

/** Thrown when QEMU does not produce the expected output in time, or exits early. */
export class QemuError extends PxeError {
  /** The last part of the serial log. */
  readonly logTail: string;
  constructor(message: string, logTail: string) {
    super("QEMU", `${message}\n--- serial log (tail) ---\n${logTail}\n--- end ---`);
    this.logTail = logTail;
  }
}

/** A running QEMU machine. */
export interface QemuInstance {
  /** The QEMU command line. */
  readonly args: readonly string[];
  /**
   * Waits until `pattern` matches serial output after the current mark, then
   * moves the mark past the match. Throws QemuError on timeout or exit.
   */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Types `line` followed by Enter (CR) on the serial console. */
  send(line: string): void;
  /** Writes raw bytes/text to the serial console. */
  sendRaw(data: string | Uint8Array): void;
  /** Everything the serial console printed so far (ANSI escapes included). */
  log(): string;
  /** The log with ANSI escapes removed and CR LF as LF. */
  text(): string;
  /** The last `chars` characters of text(). */
  tail(chars?: number): string;
  /** Moves the mark to the end of the output seen so far. */
  mark(): void;
  /** Resolves with QEMU's exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves with the exit code when QEMU exits within `timeoutMs`; throws QemuError otherwise. */
  waitExit(timeoutMs: number): Promise<number | null>;
  /** Kills QEMU (SIGKILL) and waits for it. Safe to call twice. */
  kill(): Promise<void>;
  /** Runs a QEMU monitor command (needs `monitor: true`); resolves with its output. */
  monitor(command: string): Promise<string>;
  /**
   * Types `text` on the emulated PC keyboard (monitor `sendkey`); "\n" is
   * Enter. Special keys as {name}, e.g. "{up}", "{left}". Needs `monitor: true`.
   */
  sendKeys(text: string): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = (): void => {
    for (const c of live) {
      try {
        c.kill("SIGKILL");
      } catch {
        /* gone */
      }
    }
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Removes ANSI escape sequences and normalises newlines. */
export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, "").replace(/\x1b[()][0-9A-Za-z]/g, "").replace(/\r\n/g, "\n").replace(/\r/g, "");
}

let monitorSeq = 0;

/** QEMU sendkey names of the characters sendKeys() can type. */
function keyName(ch: string): string {
  const named: Record<string, string> = {
    " ": "spc", "\n": "ret", "-": "minus", "=": "equal", ".": "dot", ",": "comma", "/": "slash", ";": "semicolon",
    "'": "apostrophe", "[": "bracket_left", "]": "bracket_right", "\\": "backslash", "_": "shift-minus", ":": "shift-semicolon",
  };
  if (named[ch]) return named[ch];
  if (/^[a-z0-9]$/.test(ch)) return ch;
  if (/^[A-Z]$/.test(ch)) return `shift-${ch.toLowerCase()}`;
  throw new Error(`sendKeys: no key for ${JSON.stringify(ch)}`);
}

/** The QEMU argument list for `opts` (exported for tests and the demo). */
export function qemuArgs(opts: QemuOptions, serial: "stdio" | "nographic" = "stdio", monitorPath?: string): string[] {
  const nic = opts.nic ?? "e1000";
  const mac = opts.mac ?? "52:54:00:12:34:56";
  const args = ["-accel", "tcg", "-m", String(opts.memoryMiB ?? 128), "-no-reboot", "-boot", "n"];
  if (serial === "stdio") {
    args.push("-display", "none", "-serial", "stdio", "-monitor", monitorPath ? `unix:${monitorPath},server,nowait` : "none");
  }
  else args.push("-nographic");
  if (opts.net.kind === "user") {
    args.push("-netdev", `user,id=n0,tftp=${opts.net.tftpDir},bootfile=${opts.net.bootfile}`);
  } else {
    args.push("-netdev", `tap,id=n0,ifname=${opts.net.ifname},script=no,downscript=no`);
  }
  args.push("-device", `${nic},netdev=n0,mac=${mac}`);
  return [...args, ...(opts.extraArgs ?? [])];
}

/** Starts QEMU; see the module comment. */
export function startQemu(opts: QemuOptions): QemuInstance {
  hookExit();
  const qemu = opts.qemu ?? "qemu-system-x86_64";
  const monitorPath = opts.monitor && opts.serial !== "nographic" ? join(tmpdir(), `pxe-qemu-${process.pid}-${++monitorSeq}.mon`) : undefined;
  const args = qemuArgs(opts, opts.serial ?? "stdio", monitorPath);
  const [cmd, argv] = opts.netns ? ["ip", ["netns", "exec", opts.netns, qemu, ...args]] : [qemu, args];
  const child = spawn(cmd, argv, { stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  let cleanCache: string | undefined;
  let markAt = 0;
  let exitCode: number | null | undefined;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const onData = (s: string): void => {
    out += s;
    cleanCache = undefined;
    opts.echo?.(s);
    wake();
  };
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  child.stdin!.on("error", () => {});
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      live.delete(child);
      exitCode = code;
      wake();
      resolve(code);
    });
    child.on("error", (e) => {
      out += `\n[harness] cannot start ${cmd}: ${e.message}\n`;
      live.delete(child);
      exitCode = -1;
      wake();
      resolve(-1);
    });
  });
  const text = (): string => (cleanCache ??= stripAnsi(out));
  const tail = (chars = 3000): string => text().slice(-chars);

  const inst: QemuInstance = {
    args: [cmd, ...argv],
    waitFor(pattern, timeoutMs) {
      const re = new RegExp(pattern.source, pattern.flags.replace("g", ""));
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const t = text();
          const m = re.exec(t.slice(markAt));
          if (m) {
            markAt += m.index + m[0].length;
            done();
            resolve(m);
            return true;
          }
          if (exitCode !== undefined) {
            done();
            reject(new QemuError(`QEMU exited (code ${exitCode}) before ${pattern} appeared`, tail()));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          if (check()) return;
          done();
          reject(new QemuError(`timed out after ${timeoutMs} ms waiting for ${pattern}`, tail()));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(listener);
        };
        const listener = (): void => void check();
        waiters.add(listener);
        check();
      });
    },
    send(line) {
      child.stdin!.write(line + "\r");
    },
    sendRaw(data) {
      child.stdin!.write(data);
    },
    log: () => out,
    text,
    tail,
    mark() {
      markAt = text().length;
    },
    exited,
    async waitExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const t = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
      const r = await Promise.race([exited, t]);
      clearTimeout(timer);
      if (r === "timeout") throw new QemuError(`QEMU still running ${timeoutMs} ms later`, tail());
      return r;
    },
    async kill() {
      if (exitCode === undefined) {
        try {
          child.kill("SIGKILL");
        } catch {
          /* gone */
        }
      }
      await exited;
      if (monitorPath) rmSync(monitorPath, { force: true });
    },
    monitor(command) {
      if (!monitorPath) return Promise.reject(new Error("monitor(): start QEMU with monitor: true"));
      return new Promise((resolve, reject) => {
        const sock = connect(monitorPath);
        let reply = "";
        sock.on("data", (d) => (reply += d.toString()));
        sock.on("error", (e) => reject(new QemuError(`QEMU monitor: ${e.message}`, tail())));
        sock.on("connect", () => {
          sock.write(command + "\n");
          setTimeout(() => {
            sock.end();
            resolve(reply);
          }, 150);
        });
      });
    },
    async sendKeys(text) {
      for (let i = 0; i < text.length; i++) {
        let key: string;
        if (text[i] === "{") {
          const j = text.indexOf("}", i);
          key = text.slice(i + 1, j);
          i = j;
        } else key = keyName(text[i]);
        await inst.monitor(`sendkey ${key}`);
      }
    },
  };
  return inst;
}

/** Runs `fn` with a fresh QEMU and always kills it afterwards (also when fn throws). */
export async function withQemu<T>(opts: QemuOptions, fn: (vm: QemuInstance) => Promise<T>): Promise<T> {
  const vm = startQemu(opts);
  try {
    return await fn(vm);
  } finally {
    await vm.kill();
  }
}
