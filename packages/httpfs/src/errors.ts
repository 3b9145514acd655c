import { PxeError } from "@pxe/core";

/** Base of httpfs errors: carries the URL of the file or directory. */
export class HttpFsError extends PxeError {
  /** The URL (no credentials). */
  readonly url: string;
  constructor(code: string, url: string, message: string, options?: { cause?: unknown }) {
    super(code, `${url}: ${message}`, options);
    this.url = url;
  }
}

/** readdir got a page that is not a directory index we recognise. */
export class NotADirectoryError extends HttpFsError {
  constructor(url: string, detail: string) {
    super("HTTPFS_NOT_A_DIRECTORY", url, `not a directory index (${detail})`);
  }
}

/** A read or seek on a closed file. */
export class FileClosedError extends HttpFsError {
  constructor(url: string) {
    super("HTTPFS_CLOSED", url, "file is closed");
  }
}

/** A seek to a negative position, or relative to an unknown end. */
export class SeekError extends HttpFsError {
  /** The position asked for (NaN when it could not be computed). */
  readonly position: number;
  constructor(url: string, position: number, reason: string) {
    super("HTTPFS_SEEK", url, `cannot seek: ${reason}`);
    this.position = position;
  }
}

/** The server sent something other than the bytes asked for. */
export class ReadError extends HttpFsError {
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super("HTTPFS_READ", url, detail, options);
  }
}
