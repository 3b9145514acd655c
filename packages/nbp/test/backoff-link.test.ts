// BackoffLink: after an empty poll the device is left alone for backoffMs;
// frames, and any transmit, end the quiet time.
import { MemoryLink } from "@pxe/ip/testing";
import { describe, expect, test } from "vitest";
import { BackoffLink } from "../src/loader/backoff-link.js";

describe("BackoffLink", () => {
  test("skips polls for backoffMs after an empty one; frames and transmits end the quiet time", () => {
    const [a, b] = MemoryLink.pair(Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2));
    a.open();
    b.open();
    const link = new BackoffLink(a, { backoffMs: 1 });
    const got: number[] = [];
    const on = (f: Uint8Array): void => void got.push(f.length);
    expect(link.poll(0, on)).toBe(0); // empty: quiet until 1
    b.transmit(new Uint8Array(60));
    expect(link.poll(0.5, on)).toBe(0); // skipped, the frame waits
    expect(link.skipped).toBe(1);
    expect(link.poll(1, on)).toBe(1);
    expect(link.poll(1.2, on)).toBe(0); // empty again: quiet until 2.2
    link.transmit(new Uint8Array(60)); // an answer may come: poll again at once
    b.transmit(new Uint8Array(70));
    expect(link.poll(1.3, on)).toBe(1);
    expect(got).toEqual([60, 70]);
    expect(link.info.name).toBe("mem-a");
    expect(link.statistics().rcvGoodFrames).toBe(2);
  });
});
