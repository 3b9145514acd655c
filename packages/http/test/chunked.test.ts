import { describe, expect, it } from "vitest";
import { rejectsOnlyTyped } from "@pxe/core/testing";
import fc from "fast-check";
import { asciiBytes, concat, utf8 } from "@pxe/core";
import { ChunkedDecoder, encodeChunked, HttpParseError } from "@pxe/http";
import { arbChunking, arbHeaderFields } from "@pxe/http/testing";

function decodeAll(pieces: Uint8Array[]): { body: Uint8Array; trailers: (readonly [string, string])[] | null; done: boolean; rest: number } {
  const d = new ChunkedDecoder();
  const out: Uint8Array[] = [];
  let trailers = null;
  let rest = 0;
  for (const p of pieces) {
    if (d.done) {
      rest += p.length;
      continue;
    }
    const r = d.feed(p);
    out.push(...r.data);
    if (r.trailers) trailers = r.trailers;
    rest += p.length - r.consumed;
  }
  return { body: concat(out), trailers, done: d.done, rest };
}

describe("chunked decoder", () => {
  it("decodes chunks with extensions, upper-case hex and trailers", () => {
    const wire = asciiBytes('A;name=val;q="a;b"\r\n0123456789\r\n1f\r\nabcdefghijklmnopqrstuvwxyz01234\r\n0;last\r\nX-Sum: 1\r\nX-More:  2 \r\n\r\nNEXT');
    const r = decodeAll([wire]);
    expect(utf8(r.body)).toBe("0123456789abcdefghijklmnopqrstuvwxyz01234");
    expect(r.trailers).toEqual([["X-Sum", "1"], ["X-More", "2"]]);
    expect(r.done).toBe(true);
    expect(r.rest).toBe(4);
  });
  it("accepts bare LF line ends", () => {
    expect(utf8(decodeAll([asciiBytes("3\nabc\n0\n\n")]).body)).toBe("abc");
  });
  it("rejects bad sizes, missing CRLF, bad extensions and huge sizes", () => {
    for (const s of ["g\r\n", "3\r\nabcX", "3;=x\r\nabc\r\n", "ffffffffffffff\r\n", "\r\n", "-1\r\n", "3 junk\r\nabc\r\n"]) {
      expect(() => new ChunkedDecoder().feed(asciiBytes(s)), JSON.stringify(s)).toThrow(HttpParseError);
    }
  });
  it("throws only HttpParseError on arbitrary bytes, with the stream offset", () => {
    rejectsOnlyTyped((d) => new ChunkedDecoder().feed(d), { numRuns: 500, errorClass: HttpParseError });
    const d = new ChunkedDecoder();
    d.feed(asciiBytes("3\r\nab"));
    try {
      d.feed(asciiBytes("cX"));
      expect.unreachable();
    } catch (e) {
      expect((e as HttpParseError).offset).toBe(6); // "3\r\nab" is 5 bytes, "c" is byte 5, "X" byte 6
      expect((e as HttpParseError).part).toBe("chunk");
    }
  });
  it("output equals the original for any chunking and any split of the stream (property)", () => {
    fc.assert(
      fc.property(
        fc
          .record({
            body: fc.uint8Array({ maxLength: 2000 }),
            sizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
            extension: fc.constantFrom("", ";x", ';k="v;v"', ";a=b;c=d"),
            trailers: arbHeaderFields,
            upperHex: fc.boolean(),
          })
          .chain((r) => {
            const wire = encodeChunked(r.body, r);
            return fc.tuple(fc.constant(r), arbChunking(wire, 40));
          }),
        ([r, pieces]) => {
          const out = decodeAll(pieces);
          expect(out.done).toBe(true);
          expect(out.body).toEqual(r.body);
          expect(out.trailers).toEqual(r.trailers.map(([n, v]) => [n, v]));
          expect(out.rest).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
