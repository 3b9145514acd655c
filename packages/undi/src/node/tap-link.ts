import { spawn, type ChildProcess } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { LinkError, checkTransmit } from "../errors.js";
import { passesFilter } from "../filter.js";
import { createPcapFile, type PcapFileWriter } from "./pcap-file.js";
import { freeUdpPort, udpPortBound } from "./ports.js";
import { run, sleep } from "./run.js";

/** Options of the TAP backend. */
export interface TapLinkOptions {
  /** Interface name (at most 15 characters). If a persistent TAP of that name exists it is attached, else socat creates one that vanishes when it exits. */
  ifname: string;
  /** Our station MAC: this end of the wire (default: random, locally administered). */
  mac?: Uint8Array;
  /** MTU (default 1500). */
  mtu?: number;
  /** Write every frame sent and delivered to this .pcap file. */
  pcapFile?: string;
  /** Move the TAP into this network namespace (which the caller made) and bring it up there. */
  netns?: string;
  /** socat binary (default "socat"). */
  socat?: string;
  /** How long to wait for socat to bring the TAP up (default 5000 ms). */
  readyTimeoutMs?: number;
  /** Frames queued before new ones count as resource errors (default 4096). */
  queueLimit?: number;
}

/**
 * Raw Ethernet on a Linux TAP device from Node, without native code: a
 * socat child bridges the TAP to a UDP socket on 127.0.0.1, one frame per
 * datagram (`socat TUN,tun-type=tap,iff-no-pi UDP-DATAGRAM:...`). Incoming
 * datagrams are queued by the event loop; poll() drains the queue
 * synchronously. waitForFrame()/onReadable() let adapters sleep until data
 * arrives. Needs root (or CAP_NET_ADMIN) and Debian's socat.
 */
export class TapLink implements LinkDriver {
  /** MAC, MTU, link type 1, name "tap:IFNAME". */
  readonly info: LinkInfo;
  /** The interface name. */
  readonly ifname: string;
  /**
   * True when no device of that name existed and socat created it: a new
   * TAP is attached to nothing (no bridge, no address on the Linux side)
   * until someone wires it, so nothing answers on it yet.
   */
  readonly created: boolean;
  private readonly queue: Uint8Array[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  private filter: PacketFilter | null = null;
  private readonly stats: LinkStatistics = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };
  private disposed = false;
  private readonly exitHook: () => void;

  private constructor(
    options: TapLinkOptions,
    private readonly socket: Socket,
    private readonly socatPort: number,
    private readonly child: ChildProcess,
    private readonly pcap: PcapFileWriter | null,
    created: boolean,
  ) {
    this.ifname = options.ifname;
    this.created = created;
    const mac = options.mac ?? randomMac();
    this.info = { mac: mac.slice(), mtu: options.mtu ?? 1500, linkType: 1, name: `tap:${options.ifname}` };
    const limit = options.queueLimit ?? 4096;
    socket.on("message", (msg, rinfo) => {
      if (rinfo.port !== socatPort || rinfo.address !== "127.0.0.1") return;
      if (this.queue.length >= limit) {
        this.stats.rcvResourceErrors++;
        return;
      }
      this.queue.push(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
      for (const w of [...this.waiters]) w();
      for (const l of [...this.listeners]) l();
    });
    this.exitHook = () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    };
    process.once("exit", this.exitHook);
  }

  /** Starts socat on the TAP, waits until it is attached (and moved into `netns`), and returns the driver. */
  static async create(options: TapLinkOptions): Promise<TapLink> {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(options.ifname)) throw new LinkError(`tap:${options.ifname}`, "bad interface name");
    const socket = createSocket("udp4");
    await new Promise<void>((res, rej) => {
      socket.once("error", rej);
      socket.bind(0, "127.0.0.1", () => res());
    });
    const existed = existsSync(`/sys/class/net/${options.ifname}`);
    let started: { child: ChildProcess; socatPort: number } | undefined;
    let lastError = "";
    // The free port socat is told to bind can be taken in between: retry with another.
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      const r = await startSocat(options, socket.address().port);
      if ("error" in r) lastError = r.error;
      else started = r;
    }
    if (!started) {
      socket.close();
      throw new LinkError(`tap:${options.ifname}`, `socat did not bring the TAP up: ${lastError}`);
    }
    const { child, socatPort } = started;
    let pcap: PcapFileWriter | null = null;
    try {
      const inNs = options.netns ? ["-n", options.netns] : [];
      if (options.netns) {
        await run("ip", ["link", "set", "dev", options.ifname, "netns", options.netns]);
        await run("ip", [...inNs, "link", "set", "dev", options.ifname, "up"]);
      }
      if (options.mtu !== undefined && options.mtu !== 1500) await run("ip", [...inNs, "link", "set", "dev", options.ifname, "mtu", String(options.mtu)]);
      if (options.pcapFile) pcap = createPcapFile(options.pcapFile);
    } catch (e) {
      child.kill("SIGKILL");
      socket.close();
      throw new LinkError(`tap:${options.ifname}`, String(e instanceof Error ? e.message : e));
    }
    return new TapLink(options, socket, socatPort, child, pcap, !existed);
  }

  /** The socat child's pid (for tests that check cleanup). */
  get socatPid(): number | undefined {
    return this.child.pid;
  }

  /** Starts delivering frames that pass `filter` (default directed + broadcast). */
  open(filter: PacketFilter = {}): void {
    if (this.disposed) throw new LinkError(this.info.name, "disposed");
    this.filter = { ...filter };
  }

  /** Stops delivering (frames keep arriving and are discarded). */
  close(): void {
    this.filter = null;
    this.queue.length = 0;
  }

  /** Sends the frame (copied) as one datagram to socat, which writes it to the TAP. */
  transmit(frame: Uint8Array): boolean {
    checkTransmit(this.info, this.filter !== null, frame);
    if (frame.length < 14) throw new LinkError(this.info.name, `frame of ${frame.length} bytes is shorter than an Ethernet header`);
    const copy = Buffer.from(frame);
    this.socket.send(copy, this.socatPort, "127.0.0.1", (err) => {
      if (err) {
        this.stats.dropped++;
        this.stats.xmitGoodFrames--;
      }
    });
    this.stats.xmitGoodFrames++;
    this.pcap?.writer.write(Date.now(), frame);
    return true;
  }

  /** Delivers queued frames synchronously (each a lease), at most `budget`. Never blocks. */
  poll(_now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    let n = 0;
    while (n < budget && this.queue.length > 0) {
      const f = this.queue.shift()!;
      if (!this.filter || !passesFilter(f, this.info.mac, this.filter)) {
        this.stats.dropped++;
        continue;
      }
      this.stats.rcvGoodFrames++;
      n++;
      this.pcap?.writer.write(Date.now(), f);
      onFrame(f);
    }
    return n;
  }

  /** Frames waiting for poll(). */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves true as soon as a frame is queued (at once if one is), false after `timeoutMs`. */
  waitForFrame(timeoutMs: number): Promise<boolean> {
    if (this.queue.length > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(v);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** Calls `listener` whenever a frame is queued; returns an unsubscribe function. */
  onReadable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counters since creation. */
  statistics(): LinkStatistics {
    return { ...this.stats };
  }

  /** Stops socat (removing a TAP it created), closes the socket and the pcap file. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.close();
    for (const w of [...this.waiters]) w();
    process.removeListener("exit", this.exitHook);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
      this.child.kill("SIGTERM");
      const t = setTimeout(() => this.child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(t);
    }
    await new Promise<void>((r) => this.socket.close(() => r()));
    this.pcap?.close();
  }
}

function carrier(ifname: string): boolean {
  try {
    return readFileSync(`/sys/class/net/${ifname}/carrier`, "utf8").trim() === "1";
  } catch {
    return false;
  }
}

function randomMac(): Uint8Array {
  const m = new Uint8Array(randomBytes(6));
  m[0] = (m[0] & 0xfe) | 0x02;
  return m;
}

/** Spawns socat for the TAP and waits until it is attached and its UDP side is bound. */
async function startSocat(options: TapLinkOptions, nodePort: number): Promise<{ child: ChildProcess; socatPort: number } | { error: string }> {
  const socatPort = await freeUdpPort();
  const mtu = options.mtu ?? 1500;
  const existed = existsSync(`/sys/class/net/${options.ifname}`);
  const child = spawn(options.socat ?? "socat", [
    "-b", String(Math.max(65536, mtu + 14)),
    `TUN,tun-type=tap,tun-name=${options.ifname},iff-no-pi,iff-up`,
    `UDP-DATAGRAM:127.0.0.1:${nodePort},bind=127.0.0.1:${socatPort}`,
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  let failed: Error | null = null;
  child.once("error", (e) => (failed = e));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 5000);
  const ready = () => existsSync(`/sys/class/net/${options.ifname}`) && udpPortBound(socatPort) && (!existed || carrier(options.ifname));
  while (!ready()) {
    if (failed || child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      return { error: String(failed ?? (stderr.trim() || "timeout")) };
    }
    await sleep(20);
  }
  return { child, socatPort };
}
