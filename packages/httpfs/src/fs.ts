import { utf8 } from "@pxe/core";
import type { HttpClient, HttpResponse, HttpUrl } from "@pxe/http";
import { displayUrl, HttpStatusError, parseContentLength, parseUrl, resolveUrl } from "@pxe/http";
import { NotADirectoryError } from "./errors.js";
import type { ReadAheadOptions } from "./file.js";
import { HttpFile } from "./file.js";
import type { DirEntry, IndexFormat } from "./index/parse.js";
import { parseIndex } from "./index/parse.js";

/** What `stat` reports about a URL. */
export interface FileStat {
  /** Final URL after redirects (no credentials). */
  readonly url: string;
  /** "directory" when the final URL ends in "/", else "file". */
  readonly type: "file" | "directory";
  /** Size in bytes (Content-Length, or the Content-Range total), null when unknown. */
  readonly size: number | null;
  /** Last-Modified as sent, or null. */
  readonly lastModified: string | null;
  /** ETag as sent, or null. */
  readonly etag: string | null;
  /** Content-Type as sent, or null. */
  readonly contentType: string | null;
  /** True when the server advertises Accept-Ranges: bytes. */
  readonly acceptRanges: boolean;
}

/** A directory listing with the format it was read in. */
export interface Listing {
  /** The directory URL (with trailing slash). */
  readonly url: string;
  /** Detected server format. */
  readonly format: IndexFormat;
  /** The entries. */
  readonly entries: DirEntry[];
}

/** Settings of an HttpFs. */
export interface HttpFsOptions extends ReadAheadOptions {
  /** The HTTP client to use. */
  readonly client: HttpClient;
  /** Largest index page readdir accepts, bytes (default 8 MiB). */
  readonly maxIndexBytes?: number;
}

/**
 * A read-only file system over HTTP: stat (HEAD, falling back to a
 * one-byte Range GET), open/read/seek/close with read-ahead, readFile,
 * and readdir from server index pages.
 */
export class HttpFs {
  private readonly client: HttpClient;

  /** Creates a file system over `opts.client`. */
  constructor(private readonly opts: HttpFsOptions) {
    this.client = opts.client;
  }

  /** Size, type and validators of `url`. */
  async stat(url: string | HttpUrl): Promise<FileStat> {
    const u = typeof url === "string" ? parseUrl(url) : url;
    let res: HttpResponse;
    try {
      res = await this.client.head(u);
    } catch (e) {
      if (!(e instanceof HttpStatusError) || (e.status !== 405 && e.status !== 501)) throw e;
      res = await this.client.get(u, { range: { start: 0, end: 0 } });
      res.cancel();
    }
    const h = res.headers;
    let size = res.contentRange ? res.contentRange.total : res.contentLength;
    if (size === null && res.status === 200) {
      const cl = h.getAll("content-length");
      size = cl.length === 1 ? parseContentLength(cl[0]) : null;
    }
    const path = parseUrl(res.url).path;
    return {
      url: res.url,
      type: path.endsWith("/") ? "directory" : "file",
      size,
      lastModified: h.get("last-modified"),
      etag: h.get("etag"),
      contentType: h.get("content-type"),
      acceptRanges: h.tokens("accept-ranges").some((t) => t.toLowerCase() === "bytes"),
    };
  }

  /** Opens `url` for reading (one HEAD for its size). */
  async open(url: string | HttpUrl, opts: ReadAheadOptions = {}): Promise<HttpFile> {
    const u = typeof url === "string" ? parseUrl(url) : url;
    const st = await this.stat(u);
    return new HttpFile(this.client, parseUrl(st.url), st.size, { readAhead: opts.readAhead ?? this.opts.readAhead, maxReadAhead: opts.maxReadAhead ?? this.opts.maxReadAhead });
  }

  /** Reads a whole file (one GET, streamed, resumed on drops). */
  async readFile(url: string | HttpUrl): Promise<Uint8Array> {
    const res = await this.client.get(typeof url === "string" ? parseUrl(url) : url);
    return res.bytes();
  }

  /**
   * Lists a directory from its index page (nginx autoindex, Apache
   * mod_autoindex, lighttpd mod_dirlisting, python http.server, or any page
   * of links). A trailing slash is added to the URL when missing. Throws
   * NotADirectoryError when the page is not HTML or not a recognisable index.
   */
  async readdir(url: string | HttpUrl): Promise<Listing> {
    let u = typeof url === "string" ? parseUrl(url) : url;
    if (!u.path.endsWith("/")) u = { ...u, path: u.path + "/" };
    const res = await this.client.get(u);
    const display = res.url;
    const ct = (res.headers.get("content-type") ?? "text/html").toLowerCase();
    if (ct.indexOf("html") < 0) {
      res.cancel();
      throw new NotADirectoryError(display, `content type ${ct}`);
    }
    const limit = this.opts.maxIndexBytes ?? 8 * 1024 * 1024;
    if (res.contentLength !== null && res.contentLength > limit) {
      res.cancel();
      throw new NotADirectoryError(display, `index page larger than ${limit} bytes`);
    }
    const body = await res.bytes();
    if (body.length > limit) throw new NotADirectoryError(display, `index page larger than ${limit} bytes`);
    const finalUrl = parseUrl(res.url);
    const idx = parseIndex(utf8(body), finalUrl.path);
    if (idx.format === "unknown" && idx.entries.length === 0) throw new NotADirectoryError(display, "no links to entries");
    return { url: displayUrl(finalUrl), format: idx.format, entries: idx.entries };
  }

  /** Resolves `name` (as from a listing's href) against a directory URL. */
  static join(dir: string | HttpUrl, href: string): HttpUrl {
    let u = typeof dir === "string" ? parseUrl(dir) : dir;
    if (!u.path.endsWith("/")) u = { ...u, path: u.path + "/" };
    return resolveUrl(u, href);
  }
}
