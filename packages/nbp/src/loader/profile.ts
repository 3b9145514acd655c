/**
 * A profiling wrapper of the NBP host for measurements of the receive path:
 * counts the calls into the platform (PXE calls, memory copies, the native
 * accelerators) and the time spent inside them, so that "time in JS" is
 * the rest. Used by the profiling loader (prof-main.ts), not the default one.
 */
import type { CommandRegistry } from "@pxe/console";
import { UndiLink } from "@pxe/undi";
import type { NbpHost } from "../host-api.js";

/** Calls and milliseconds spent in one host function. */
export interface HostCallProfile {
  calls: number;
  ms: number;
  bytes: number;
}

/** The profile so far, by host function; `since` is when it was last reset. */
export interface HostProfile {
  readonly byName: Record<string, HostCallProfile>;
  since: number;
}

const WRAPPED = ["pxeCall", "memRead", "memReadInto", "memWrite", "onesSum", "sha256Blocks", "readKey", "halt", "write"] as const;

/** A new entry `name` of `profile`, zeroed. */
export function profileEntry(profile: HostProfile, name: string): HostCallProfile {
  return (profile.byName[name] = { calls: 0, ms: 0, bytes: 0 });
}

/** `fn` (called with the caller's `this`) timed into `p`; `bytesOf` tells what a call moved. */
function timed(host: NbpHost, p: HostCallProfile, fn: (...a: unknown[]) => unknown, bytesOf?: (args: unknown[]) => number): (...a: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]): unknown {
    const t = host.now();
    try {
      return fn.apply(this, args);
    } finally {
      p.ms += host.now() - t;
      p.calls++;
      if (bytesOf) p.bytes += bytesOf(args);
    }
  };
}

/** Bytes a host call moved: memRead's length, memReadInto's count, the PXE parameter block's size. */
function hostCallBytes(name: string, args: unknown[]): number {
  const n = name === "memRead" ? args[1] : name === "memReadInto" ? args[3] : name === "pxeCall" ? (args[1] as Uint8Array).length : 0;
  return typeof n === "number" ? n : 0;
}

/** `host` with every function in WRAPPED timed; returns the wrapped host and its profile. */
export function profiledHost(host: NbpHost): { host: NbpHost; profile: HostProfile } {
  const profile: HostProfile = { byName: {}, since: host.now() };
  const wrapped: Record<string, unknown> = Object.create(host) as Record<string, unknown>;
  for (const name of WRAPPED) {
    const f = (host as unknown as Record<string, unknown>)[name];
    if (typeof f !== "function") continue;
    wrapped[name] = timed(host, profileEntry(profile, name), (f as (...a: unknown[]) => unknown).bind(host), (args) => hostCallBytes(name, args));
  }
  return { host: wrapped as unknown as NbpHost, profile };
}

/**
 * Times UndiLink.poll (PXE calls plus the stack's work on each frame) and,
 * inside it, the frame callbacks (Ethernet/IP/TCP processing), as the
 * pseudo-entries "link.poll" and "link.onFrame" of `profile`.
 */
export function profileUndiLink(host: NbpHost, profile: HostProfile): void {
  const poll = profileEntry(profile, "link.poll");
  const frame = profileEntry(profile, "link.onFrame");
  const empty = profileEntry(profile, "link.empty");
  const original = UndiLink.prototype.poll;
  UndiLink.prototype.poll = function (this: UndiLink, now: number, onFrame: (f: Uint8Array) => void, budget?: number): number {
    const t = host.now();
    let n = 0;
    try {
      return (n = original.call(this, now, (f) => {
        const u = host.now();
        try {
          onFrame(f);
        } finally {
          frame.ms += host.now() - u;
          frame.calls++;
          frame.bytes += f.length;
        }
      }, budget));
    } finally {
      const dt = host.now() - t;
      poll.ms += dt;
      poll.calls++;
      if (n === 0) {
        empty.calls++;
        empty.ms += dt;
      }
    }
  };
}

/** Times `proto[method]` (all instances) as the pseudo-entry `label` of `profile`. */
export function profileMethod(host: NbpHost, profile: HostProfile, proto: object, method: string, label: string): void {
  const target = proto as Record<string, unknown>;
  target[method] = timed(host, profileEntry(profile, label), target[method] as (...a: unknown[]) => unknown);
}

/** Adds `prof` (print the profile since the last reset) and `prof reset` to the console. */
export function addProfileCommand(registry: CommandRegistry, host: NbpHost, profile: HostProfile): void {
  registry.add({
    name: "prof",
    summary: "time spent in host calls since `prof reset`",
    usage: "prof [reset]",
    run(args, ctx) {
      if (args[0] === "reset") {
        for (const p of Object.values(profile.byName)) p.calls = p.ms = p.bytes = 0;
        profile.since = host.now();
        return;
      }
      const total = host.now() - profile.since;
      let native = 0;
      ctx.out.line(`elapsed ${total.toFixed(0)} ms`);
      for (const [name, p] of Object.entries(profile.byName)) {
        if (!p.calls) continue;
        if (name !== "halt" && name.indexOf(".") < 0) native += p.ms;
        ctx.out.line(`  ${name.padEnd(13)} ${String(p.calls).padStart(9)} calls ${p.ms.toFixed(0).padStart(7)} ms ${(p.ms * 1000 / p.calls).toFixed(1).padStart(7)} us/call`);
      }
      ctx.out.line(`  rest (JS)     ${(total - native - (profile.byName.halt?.ms ?? 0)).toFixed(0).padStart(23)} ms`);
    },
  });
}
