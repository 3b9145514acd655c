import { CR, ERASE_EOL } from "../terminal/ansi.js";
import { formatBytes, formatDuration, formatPercent, formatRate } from "./format.js";

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Where the bar is drawn (a terminal or ctx.out.write). */
  write: (text: string) => void;
  /** Redraw one line in place with CR (ANSI terminals) instead of printing lines. */
  inPlace: boolean;
  /** Time the transfer started (ms, the platform clock). */
  start: number;
  /** Expected total bytes; omit when unknown (no %, bar or ETA then). */
  total?: number;
  /** Text before the figures, e.g. the file name. */
  label?: string;
  /** Line break (default "\r\n"). */
  newline?: string;
  /** Line width in columns (default 80); the line never reaches the last column. */
  columns?: number;
  /** In-place mode: least time between redraws (default 100 ms). */
  minIntervalMs?: number;
  /** Plain mode: print a line each time this many percent more is done (default 10). */
  stepPercent?: number;
  /** Plain mode with unknown total: print a line at most this often (default 5000 ms). */
  plainIntervalMs?: number;
  /** Window for the current rate (default 3000 ms). */
  rateWindowMs?: number;
  /** In-place mode: erase with ESC [ K (default true); false: pad with spaces. */
  cursorEscapes?: boolean;
}

/** The figures one progress line shows. */
export interface ProgressFigures {
  /** Label, may be empty. */
  readonly label: string;
  /** Bytes done. */
  readonly done: number;
  /** Total bytes, if known. */
  readonly total?: number;
  /** Current rate in bytes per second (NaN when unknown). */
  readonly rate: number;
  /** Seconds left (NaN when unknown). */
  readonly eta: number;
}

/**
 * Lays out one progress line within `columns - 1` characters:
 * "label  45% [#####.....] 28.8 MiB / 64.0 MiB  5.20 MB/s  ETA 0:07".
 * The bar takes whatever room is left (none when less than 8 columns remain).
 */
export function formatProgressLine(f: ProgressFigures, columns = 80): string {
  const known = f.total !== undefined && f.total > 0;
  const size = known ? `${formatBytes(f.done)} / ${formatBytes(f.total as number)}` : formatBytes(f.done);
  const tail = `${size}  ${formatRate(f.rate)}${known ? `  ETA ${formatDuration(f.eta)}` : ""}`;
  const head = (f.label ? `${f.label}  ` : "") + (known ? `${formatPercent(f.done, f.total as number).padStart(4)} ` : "");
  const room = columns - 1 - head.length - tail.length - 3;
  let line: string;
  if (known && room >= 8) {
    const w = Math.min(room, 40);
    const fill = Math.min(w, Math.floor((w * Math.min(f.done, f.total as number)) / (f.total as number)));
    line = `${head}[${"#".repeat(fill)}${".".repeat(w - fill)}] ${tail}`;
  } else {
    line = `${head}${tail}`;
  }
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

/**
 * A download progress display: bytes, percentage, rate (MB/s), ETA.
 * On an ANSI terminal it redraws one line in place with CR (on the NBP's
 * VGA and serial consoles alike); otherwise it prints a plain line every
 * `stepPercent` percent. Time comes from the caller (`now` arguments).
 */
export class ProgressBar {
  private readonly o: ProgressOptions;
  private readonly newline: string;
  private readonly columns: number;
  private samples: Array<[number, number]> = [];
  private done = 0;
  private lastDraw = -Infinity;
  private lastPercentStep = -1;
  private drawn = false;
  private drawnLength = 0;
  private finished = false;

  constructor(opts: ProgressOptions) {
    this.o = opts;
    this.newline = opts.newline ?? "\r\n";
    this.columns = opts.columns ?? 80;
    this.samples.push([opts.start, 0]);
  }

  /** Bytes reported so far. */
  get bytes(): number {
    return this.done;
  }

  /** Reports `done` bytes at time `now`; redraws when due. */
  update(done: number, now: number): void {
    if (this.finished) return;
    this.done = done;
    this.sample(now);
    if (this.o.inPlace) {
      const interval = this.o.minIntervalMs ?? 100;
      if (now - this.lastDraw < interval && !(this.o.total !== undefined && done >= this.o.total)) return;
      this.lastDraw = now;
      this.o.write(CR + this.erasing(formatProgressLine(this.figures(now), this.columns)));
      this.drawn = true;
      return;
    }
    const total = this.o.total;
    if (total !== undefined && total > 0) {
      const step = Math.max(1, this.o.stepPercent ?? 10);
      const k = Math.floor(Math.min(100, (done * 100) / total) / step);
      if (k <= this.lastPercentStep || done >= total) return; // 100% is printed by finish()
      this.lastPercentStep = k;
    } else {
      if (now - this.lastDraw < (this.o.plainIntervalMs ?? 5000)) return;
    }
    this.lastDraw = now;
    this.o.write(formatProgressLine(this.figures(now), this.columns) + this.newline);
  }

  /** The figures at `now` (for custom displays). */
  figures(now: number): ProgressFigures {
    const rate = this.rate(now);
    const total = this.o.total;
    const eta = total !== undefined && rate > 0 ? Math.max(0, total - this.done) / rate : NaN;
    return { label: this.o.label ?? "", done: this.done, total, rate, eta };
  }

  /**
   * Ends the display with a summary line: total size, elapsed time and
   * average rate. `failed` replaces the summary with "failed: reason".
   */
  finish(now: number, opts: { done?: number; failed?: string } = {}): void {
    if (this.finished) return;
    if (opts.done !== undefined) this.done = opts.done;
    this.finished = true;
    const secs = Math.max(0, now - this.o.start) / 1000;
    const avg = secs > 0 ? this.done / secs : NaN;
    const label = this.o.label ? `${this.o.label}  ` : "";
    const summary = opts.failed
      ? `${label}failed after ${formatBytes(this.done)}: ${opts.failed}`
      : `${label}${formatBytes(this.done)} in ${formatDuration(secs)}, ${formatRate(avg)}`;
    const text = summary.length > this.columns - 1 ? summary.slice(0, this.columns - 1) : summary;
    this.o.write(this.o.inPlace ? (this.drawn ? CR : "") + this.erasing(text) + this.newline : text + this.newline);
  }

  /** `text` followed by what erases the rest of the previous drawing. */
  private erasing(text: string): string {
    const pad = Math.max(0, this.drawnLength - text.length);
    this.drawnLength = text.length;
    if (this.o.cursorEscapes === false) return pad > 0 ? text + " ".repeat(pad) : text;
    return text + ERASE_EOL;
  }

  private sample(now: number): void {
    this.samples.push([now, this.done]);
    const window = this.o.rateWindowMs ?? 3000;
    while (this.samples.length > 2 && now - this.samples[1][0] >= window) this.samples.shift();
  }

  private rate(now: number): number {
    const first = this.samples[0];
    const dt = now - first[0];
    if (dt <= 0) return NaN;
    return ((this.done - first[1]) * 1000) / dt;
  }
}
