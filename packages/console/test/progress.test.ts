import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatBytes, formatDuration, formatPercent, formatRate, formatProgressLine, ProgressBar, createRegistry } from "@pxe/console";
import { VirtualScreen, testConsole } from "@pxe/console/testing";

describe("formatting", () => {
  it("sizes in binary units with three significant digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.00 KiB");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(64 * 1024 * 1024)).toBe("64.0 MiB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.00 GiB");
    expect(formatBytes(654 * 1024)).toBe("654 KiB");
  });
  it("rates in decimal MB/s, kB/s below one MB/s", () => {
    expect(formatRate(5.2e6)).toBe("5.20 MB/s");
    expect(formatRate(830e3)).toBe("830 kB/s");
    expect(formatRate(67.4e6)).toBe("67.4 MB/s");
    expect(formatRate(NaN)).toBe("-- MB/s");
  });
  it("durations as m:ss or h:mm:ss, unknown as --:--", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(7.2)).toBe("0:07");
    expect(formatDuration(7.5)).toBe("0:08");
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(Infinity)).toBe("--:--");
  });
  it("percent never shows 100 before the end", () => {
    expect(formatPercent(999, 1000)).toBe("99%");
    expect(formatPercent(1000, 1000)).toBe("100%");
    expect(formatPercent(5, 0)).toBe("--%");
  });
  it("a progress line always fits the width", () => {
    fc.assert(
      fc.property(fc.nat(), fc.option(fc.integer({ min: 1 })), fc.double({ min: 0, max: 1e10, noNaN: true }), fc.integer({ min: 10, max: 200 }), fc.string({ maxLength: 30 }), (done, total, rate, cols, label) => {
        const line = formatProgressLine({ label, done, total: total ?? undefined, rate, eta: 3 }, cols);
        expect(line.length).toBeLessThanOrEqual(cols - 1);
      }),
      { numRuns: 300 },
    );
  });
  it("golden line", () => {
    expect(formatProgressLine({ label: "kernel", done: 32 * 1024 * 1024, total: 64 * 1024 * 1024, rate: 5.2e6, eta: 6.45 }, 80)).toBe(
      "kernel   50% [###########............] 32.0 MiB / 64.0 MiB  5.20 MB/s  ETA 0:06",
    );
  });
});

describe("ProgressBar", () => {
  it("in-place mode redraws one line with CR, throttled, and ends with a summary", () => {
    let out = "";
    const bar = new ProgressBar({ write: (s) => (out += s), inPlace: true, start: 0, total: 10e6, label: "f" });
    for (let t = 0; t <= 2000; t += 10) bar.update(t * 5000, t); // 5 MB/s, 10 MB in 2 s
    bar.finish(2000);
    const screen = new VirtualScreen(80);
    screen.write(out);
    expect(out.split("\r").length - 1).toBeGreaterThan(15); // redrawn many times ...
    expect(out.split("\r").length - 1).toBeLessThan(30); // ... but throttled to 100 ms
    expect(screen.text()).toBe("f  9.54 MiB in 0:02, 5.00 MB/s\n");
    expect(out).toContain("ETA 0:01");
  });
  it("in-place mode without escapes pads with spaces instead of ESC [ K", () => {
    let out = "";
    const bar = new ProgressBar({ write: (s) => (out += s), inPlace: true, start: 0, total: 1e6, cursorEscapes: false });
    bar.update(0, 0);
    bar.update(5e5, 1000);
    bar.finish(2000, { done: 1e6 });
    expect(out).not.toContain("\x1b");
    const screen = new VirtualScreen(80);
    screen.write(out);
    expect(screen.text().trimEnd()).toBe("977 KiB in 0:02, 500 kB/s");
  });

  it("plain mode prints a line per 10% and the summary", () => {
    let out = "";
    const bar = new ProgressBar({ write: (s) => (out += s), inPlace: false, start: 0, total: 1000, newline: "\n" });
    for (let d = 0; d <= 1000; d += 7) bar.update(d, d);
    bar.finish(1000, { done: 1000 });
    const lines = out.trimEnd().split("\n");
    expect(lines.length).toBe(11);
    expect(lines[0]).toMatch(/^  0% /);
    expect(lines[9]).toMatch(/^ 90% /);
    expect(lines[10]).toBe("1000 B in 0:01, 1.00 kB/s");
    expect(out).not.toContain("\r");
  });
  it("unknown total: no percent, plain lines at most every 5 s", () => {
    let out = "";
    const bar = new ProgressBar({ write: (s) => (out += s), inPlace: false, start: 0, newline: "\n" });
    for (let t = 0; t <= 12000; t += 100) bar.update(t * 1000, t);
    bar.finish(12000, { failed: "connection reset" });
    const lines = out.trimEnd().split("\n");
    expect(lines.length).toBe(4);
    expect(lines[1]).toBe("4.77 MiB  1.00 MB/s");
    expect(lines[3]).toBe("failed after 11.4 MiB: connection reset");
  });
  it("ctx.progress follows the terminal: plain lines on a pipe", async () => {
    const r = createRegistry().add({
      name: "fetch",
      summary: "pretend download",
      async run(_a, ctx) {
        const bar = ctx.progress({ total: 100, label: "x" });
        for (let d = 0; d <= 100; d += 25) {
          await ctx.sleep(10);
          bar.update(d, ctx.now());
        }
        bar.finish(ctx.now());
      },
    });
    const t = testConsole({ registry: r });
    t.input.push("fetch\n");
    await t.until(() => t.output().endsWith("pxehttp> pxehttp> ") || t.output().split("pxehttp> ").length === 3, { advanceMs: 5 });
    expect(t.output()).toMatch(/^pxehttp> fetch\nx {4}0% \[\.+\] 0 B \/ 100 B .*\nx {3}25% \[#+\.+\] 25 B .*\nx {3}50% .*\nx {3}75% .*\nx  100 B in 0:00, .*\npxehttp> $/);
  });
});
