import fc from "fast-check";
import { asciiBytes, concat } from "@pxe/core";
import { encodeChunked } from "../wire/chunked.js";
import type { HeaderField } from "../wire/headers.js";
import { formatIPv6 } from "../wire/host.js";
import type { HttpUrl } from "../wire/url.js";

const HEXU = "0123456789ABCDEF";
const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

function charFrom(chars: string): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: chars.length - 1 }).map((i) => chars[i]);
}

/** %XX of a byte that is not unreserved (so normalisation keeps it encoded). */
const pctEncoded: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 255 })
  .filter((b) => !/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)))
  .map((b) => "%" + HEXU[b >> 4] + HEXU[b & 15]);

function component(chars: string, maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 4, arbitrary: charFrom(chars) }, { weight: 1, arbitrary: pctEncoded }), { maxLength }).map((a) => a.join(""));
}

const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/** Host names as a URL parser normalises them (lower-case labels). */
export const arbHostName: fc.Arbitrary<string> = fc
  .array(
    fc.array(charFrom(lowerAlnum + "-"), { minLength: 1, maxLength: 12 }).map((a) => a.join("")),
    { minLength: 1, maxLength: 4 },
  )
  .map((l) => l.join("."))
  .filter((h) => !/^[0-9.]+$/.test(h));

/** Dotted-quad IPv4 text. */
export const arbIPv4: fc.Arbitrary<string> = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join("."));

/** RFC 5952 IPv6 text (often with zero runs). */
export const arbIPv6: fc.Arbitrary<string> = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }).map(formatIPv6);

/** Normalised HttpUrl values: parse(serialize(u)) must give u back. */
export const arbHttpUrl: fc.Arbitrary<HttpUrl> = fc
  .record({
    host: fc.oneof(
      arbHostName.map((host) => ({ host, hostKind: "name" as const })),
      arbIPv4.map((host) => ({ host, hostKind: "ipv4" as const })),
      arbIPv6.map((host) => ({ host, hostKind: "ipv6" as const })),
    ),
    port: fc.oneof(fc.constant(80), fc.integer({ min: 1, max: 65535 })),
    segments: fc.array(component(unreserved + "!$&'()*+,;=:@", 8).filter((s) => s !== "." && s !== ".."), { maxLength: 5 }),
    trailingSlash: fc.boolean(),
    query: fc.option(component(unreserved + "!$&'()*+,;=:@/?", 12), { nil: null }),
    user: fc.option(fc.tuple(component(unreserved + "!$&'()*+,;=", 6), fc.option(component(unreserved + "!$&'()*+,;=", 6), { nil: null })), { nil: null }),
  })
  .map((r) => {
    let path = "/" + r.segments.join("/");
    if (r.trailingSlash && r.segments.length) path += "/";
    const username = r.user ? r.user[0] : "";
    const password = r.user ? r.user[1] : null;
    return { scheme: "http" as const, username, password, host: r.host.host, hostKind: r.host.hostKind, port: r.port, path, query: r.query };
  });

/** Messy http URL strings: mixed case, dot segments, spaces, non-ASCII, stray %, fragments. */
export const arbMessyUrlString: fc.Arbitrary<string> = fc
  .record({
    scheme: fc.constantFrom("http", "HTTP", "Http"),
    host: fc.oneof(arbHostName.map((h) => h.toUpperCase()), arbHostName, arbIPv4, arbIPv6.map((h) => `[${h.toUpperCase()}]`)),
    port: fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: null }),
    path: fc.array(fc.oneof(fc.constantFrom(".", "..", "", "a b", "%", "%zz", "%41", "é", "x/y", "~u", "%7e"), component(unreserved, 5)), { maxLength: 6 }),
    query: fc.option(fc.constantFrom("", "a=1&b=2", "q=%20 x", "é"), { nil: null }),
    fragment: fc.option(fc.constantFrom("", "frag", "x y"), { nil: null }),
  })
  .map((r) => `${r.scheme}://${r.host}${r.port !== null ? ":" + r.port : ""}/${r.path.join("/")}${r.query !== null ? "?" + r.query : ""}${r.fragment !== null ? "#" + r.fragment : ""}`);

/** A header field name (token). */
export const arbFieldName: fc.Arbitrary<string> = fc.array(charFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`|~"), { minLength: 1, maxLength: 16 }).map((a) => a.join(""));

/** A header field value without leading/trailing whitespace. */
export const arbFieldValue: fc.Arbitrary<string> = fc
  .array(charFrom("abcdefghijklmnopqrstuvwxyz0123456789 \t,;=/\"()<>?@[]{}:"), { maxLength: 24 })
  .map((a) => a.join("").replace(/^[ \t]+|[ \t]+$/g, ""));

const framingFields = /^(content-length|transfer-encoding|connection|keep-alive|content-range|trailer|location)$/i;

/** Header sets that do not touch message framing. */
export const arbHeaderFields: fc.Arbitrary<HeaderField[]> = fc.array(fc.tuple(arbFieldName, arbFieldValue).filter(([n]) => !framingFields.test(n)), { maxLength: 10 }) as fc.Arbitrary<HeaderField[]>;

/** A response to generate: how it is framed, its body, headers, trailers and interim responses. */
export interface ResponseSpec {
  /** Status code (200..599 without 204, 206 and 304). */
  readonly status: number;
  /** Reason phrase. */
  readonly reason: string;
  /** "1.0" or "1.1". */
  readonly version: "1.0" | "1.1";
  /** Headers other than framing. */
  readonly headers: HeaderField[];
  /** The body. */
  readonly body: Uint8Array;
  /** How the body is framed. */
  readonly framing: "length" | "chunked" | "close";
  /** Chunk sizes (chunked). */
  readonly chunkSizes: number[];
  /** Chunk extension text (chunked), e.g. ";a=b". */
  readonly extension: string;
  /** Trailer fields (chunked). */
  readonly trailers: HeaderField[];
  /** Number of 100 Continue interim responses before it. */
  readonly interim: number;
  /** Use bare LF instead of CRLF in the head. */
  readonly bareLf: boolean;
}

/** Responses of every framing, with headers, trailers, extensions and interim 1xx. */
export const arbResponseSpec: fc.Arbitrary<ResponseSpec> = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304 && s !== 206),
  reason: fc.constantFrom("OK", "", "Not Found", "Partial Content", "Weird  Reason"),
  version: fc.constantFrom("1.0" as const, "1.1" as const),
  headers: arbHeaderFields,
  body: fc.uint8Array({ maxLength: 600 }),
  framing: fc.constantFrom("length" as const, "chunked" as const, "close" as const),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
  extension: fc.constantFrom("", ";a=b", ';name="quoted; value"', " ; x"),
  trailers: arbHeaderFields,
  interim: fc.integer({ min: 0, max: 2 }),
  bareLf: fc.boolean(),
});

/** Serialises a ResponseSpec to the bytes a server would send. */
export function encodeResponse(r: ResponseSpec): Uint8Array {
  const nl = r.bareLf ? "\n" : "\r\n";
  let head = "";
  for (let i = 0; i < r.interim; i++) head += `HTTP/1.1 100 Continue${nl}${nl}`;
  head += `HTTP/${r.version} ${r.status} ${r.reason}${nl}`;
  for (const [n, v] of r.headers) head += `${n}: ${v}${nl}`;
  if (r.framing === "length") head += `Content-Length: ${r.body.length}${nl}`;
  if (r.framing === "chunked") head += `Transfer-Encoding: chunked${nl}`;
  head += nl;
  const body = r.framing === "chunked" ? encodeChunked(r.body, { sizes: r.chunkSizes, extension: r.extension, trailers: r.trailers }) : r.body;
  return concat([asciiBytes(head), body]);
}

/** Cuts `data` into pieces at arbitrary points (for feeding parsers). */
export function arbChunking(data: Uint8Array, maxCuts = 20): fc.Arbitrary<Uint8Array[]> {
  return fc.array(fc.integer({ min: 0, max: data.length }), { maxLength: maxCuts }).map((cuts) => splitAt(data, cuts));
}

/** Splits `data` at the given offsets (any order, duplicates allowed). */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = Array.from(new Set(cuts.filter((c) => c > 0 && c < data.length))).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of sorted) {
    out.push(data.subarray(prev, c));
    prev = c;
  }
  out.push(data.subarray(prev));
  return out;
}
