import { UrlError } from "../errors.js";
import type { HttpUrl } from "./url.js";
import { parseUrl, serializeUrl } from "./url.js";
import { removeDotSegments } from "./dot-segments.js";

export { removeDotSegments };

/** The five components of a URI reference (RFC 3986 appendix B); undefined = absent. */
export interface UriParts {
  /** Scheme without ':'. */
  scheme?: string;
  /** Authority without '//'. */
  authority?: string;
  /** Path (may be empty). */
  path: string;
  /** Query without '?'. */
  query?: string;
  /** Fragment without '#'. */
  fragment?: string;
}

const URI_RE = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/** Splits any URI reference into its components (RFC 3986 appendix B). */
export function splitUri(ref: string): UriParts {
  const m = URI_RE.exec(ref)!;
  const parts: UriParts = { path: m[3] };
  if (m[1] !== undefined) parts.scheme = m[1];
  if (m[2] !== undefined) parts.authority = m[2];
  if (m[4] !== undefined) parts.query = m[4];
  if (m[5] !== undefined) parts.fragment = m[5];
  return parts;
}

/** Recomposes components (RFC 3986 §5.3). */
export function recomposeUri(p: UriParts): string {
  let s = "";
  if (p.scheme !== undefined) s += p.scheme + ":";
  if (p.authority !== undefined) s += "//" + p.authority;
  s += p.path;
  if (p.query !== undefined) s += "?" + p.query;
  if (p.fragment !== undefined) s += "#" + p.fragment;
  return s;
}

function merge(base: UriParts, refPath: string): string {
  if (base.authority !== undefined && base.path === "") return "/" + refPath;
  const slash = base.path.lastIndexOf("/");
  return slash >= 0 ? base.path.slice(0, slash + 1) + refPath : refPath;
}

/**
 * Resolves a URI reference against a base URI, strictly as RFC 3986 §5.2.2
 * says (any scheme; strings in, string out).
 */
export function resolveReference(base: string, ref: string): string {
  const b = splitUri(base);
  const r = splitUri(ref);
  const t: UriParts = { path: "" };
  if (r.scheme !== undefined) {
    t.scheme = r.scheme;
    if (r.authority !== undefined) t.authority = r.authority;
    t.path = removeDotSegments(r.path);
    if (r.query !== undefined) t.query = r.query;
  } else {
    if (r.authority !== undefined) {
      t.authority = r.authority;
      t.path = removeDotSegments(r.path);
      if (r.query !== undefined) t.query = r.query;
    } else {
      if (r.path === "") {
        t.path = b.path;
        if (r.query !== undefined) t.query = r.query;
        else if (b.query !== undefined) t.query = b.query;
      } else {
        t.path = r.path.startsWith("/") ? removeDotSegments(r.path) : removeDotSegments(merge(b, r.path));
        if (r.query !== undefined) t.query = r.query;
      }
      if (b.authority !== undefined) t.authority = b.authority;
    }
    if (b.scheme !== undefined) t.scheme = b.scheme;
  }
  if (r.fragment !== undefined) t.fragment = r.fragment;
  return recomposeUri(t);
}

/**
 * Resolves a Location header (absolute or relative) against the URL it
 * answered. The result must be an http:// URL; UrlError otherwise.
 */
export function resolveUrl(base: HttpUrl, ref: string): HttpUrl {
  const trimmed = ref.trim();
  if (trimmed === "") throw new UrlError(ref, "empty reference");
  return parseUrl(resolveReference(serializeUrl(base), trimmed));
}
