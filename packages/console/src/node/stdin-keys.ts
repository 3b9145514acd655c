import type { Readable } from "node:stream";
import { EOF, type KeyInput } from "../loop/input.js";

/** A readable stream that may be a TTY (process.stdin). */
export type InputStream = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/**
 * Collects bytes from a Node stream for the console's polled `readKey`.
 * A TTY is switched to raw mode (so the console sees every key, including
 * Ctrl-C as byte 0x03) and restored by `close()`; a pipe is read as is,
 * one line per command.
 */
export class StdinKeys {
  /** True when the stream is a TTY in raw mode. */
  readonly raw: boolean;
  private readonly stream: InputStream;
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly onData = (b: Uint8Array | string): void => {
    this.chunks.push(typeof b === "string" ? Uint8Array.from(Buffer.from(b, "utf8")) : new Uint8Array(b));
    this.notify();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };

  constructor(stream: InputStream) {
    this.stream = stream;
    this.raw = stream.isTTY === true && typeof stream.setRawMode === "function";
    if (this.raw) stream.setRawMode?.(true);
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onEnd);
    stream.resume();
  }

  /** The console's readKey: the next chunk, null when none, EOF after the stream ended. */
  readonly read = (): KeyInput => {
    const c = this.chunks.shift();
    if (c) return c;
    return this.ended ? EOF : null;
  };

  /**
   * Resolves when input arrives, the stream ends, or after `ms`. After the
   * end of input it waits its `ms` too (readKey reports EOF meanwhile): a
   * command may still be running, and resolving at once would spin the
   * console loop on microtasks and starve the timers and I/O it waits for.
   */
  wait(ms: number): Promise<void> {
    if (this.chunks.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Ends a pending `wait()` early (e.g. when a frame arrived). */
  poke(): void {
    this.notify();
  }

  /** Stops reading and restores the terminal mode. */
  close(): void {
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onEnd);
    if (this.raw) this.stream.setRawMode?.(false);
    this.stream.pause();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    if (w) w();
  }
}
