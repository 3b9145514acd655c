import { KbootError } from "../errors.js";

/**
 * A loader.conf (or device.hints) line that is not FreeBSD's syntax. The
 * message names the file, the line number and what is wrong, e.g.
 * `/boot/loader.conf:12: unclosed quote in 'kernel="kern'`.
 */
export class LoaderConfError extends KbootError {
  /** The file as the loader named it ("/boot/loader.conf", or a URL). */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** What is wrong, without the position. */
  readonly reason: string;
  /** The line's text (cut to 80 characters). */
  readonly text: string;
  constructor(file: string, line: number, reason: string, text: string) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    super("KBOOT_CONF", `${file}:${line}: ${reason} in '${shown}'`);
    this.file = file;
    this.line = line;
    this.reason = reason;
    this.text = shown;
  }
}
