import { displayUrl, parseUrl, type HttpUrl } from "@pxe/http";
import { UsageError } from "../../errors.js";

/** Parses a command's URL argument ("http://" may be left out); UsageError when it is not one. */
export function urlArg(command: string, usage: string, text: string | undefined): HttpUrl {
  if (text === undefined) throw new UsageError(command, "which URL?", usage);
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  try {
    return parseUrl(withScheme);
  } catch (e) {
    throw new UsageError(command, `bad URL '${text}': ${e instanceof Error ? e.message : String(e)}`, usage);
  }
}

/** The last path segment of a URL ("index.html" for a directory), percent-decoding left alone. */
export function baseName(url: HttpUrl): string {
  const path = url.path;
  const seg = path.split("/").filter((s) => s !== "");
  const last = path.endsWith("/") ? "index.html" : seg[seg.length - 1] ?? "index.html";
  return last;
}

/** The URL as text without credentials (for messages). */
export function urlText(url: HttpUrl): string {
  return displayUrl(url);
}
