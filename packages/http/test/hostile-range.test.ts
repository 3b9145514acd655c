// Issue 15, item 3: a resumed or ranged download never reports a short or
// overlong body as complete. Each hostile answer ends in a typed error (or a
// further resume), and whatever the caller is handed as done is exactly the
// resource or the range asked for. In-memory transport, virtual time.
import { describe, expect, it } from "vitest";
import { BodyTruncatedError, RangeMismatchError, encodeChunked } from "@pxe/http";
import { responseHead } from "@pxe/http/testing";
import type { ScriptedConnection } from "@pxe/http/testing";
import { concat } from "@pxe/core";
import { data, setup } from "./client-helpers.js";

const FILE = data(100, 9);

/** Connection 0 sends 50 bytes of FILE and resets; later connections answer with `answer(rangeHeader)`. */
function resumeServer(answer: (range: string | null) => Uint8Array | string) {
  let k = 0;
  return async (c: ScriptedConnection) => {
    const q = await c.readRequest();
    if (!q) return;
    if (k++ === 0) {
      c.send(responseHead(200, "OK", [["Content-Length", "100"], ["ETag", '"e"']]));
      c.send(FILE.subarray(0, 50));
      c.reset();
      return;
    }
    c.send(answer(q.headers.get("range")));
    c.end();
  };
}

const partial = (cr: string, body: Uint8Array, cl = body.length) =>
  concat([Uint8Array.from(responseHead(206, "Partial Content", [["Content-Range", cr], ["Content-Length", String(cl)]]), (ch) => ch.charCodeAt(0)), body]);

async function fetchAll(answer: (range: string | null) => Uint8Array | string, maxResumes = 1) {
  const { client, transport, run } = setup({ maxResumes });
  transport.listen("10.0.0.1", 80, resumeServer(answer));
  const r = await run(client.get("http://10.0.0.1/f"));
  return run(r.bytes());
}

describe("resume answers checked against what was asked (issue 15.3)", () => {
  it("a correct 206 from byte 50 completes byte-exact", async () => {
    expect(await fetchAll(() => partial("bytes 50-99/100", FILE.subarray(50)))).toEqual(FILE);
  });
  it("206 that does not reach the end (bytes 50-59/100 for a resume from 50): typed error, not 60 bytes", async () => {
    const err = await fetchAll(() => partial("bytes 50-59/100", FILE.subarray(50, 60))).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
    expect(err.message).toContain("59");
  });
  it("206 whose Content-Length disagrees with its Content-Range: typed error, not 140 bytes", async () => {
    const err = await fetchAll(() => partial("bytes 50-99/100", data(90, 3), 90)).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
    expect(err.message).toContain("Content-Length");
  });
  it("206 that starts elsewhere: typed error", async () => {
    const err = await fetchAll(() => partial("bytes 40-99/100", FILE.subarray(40))).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
  });
  it("chunked 206 with more bytes than its Content-Range: typed error, never an overlong body", async () => {
    const head = responseHead(206, "Partial Content", [["Content-Range", "bytes 50-99/100"], ["Transfer-Encoding", "chunked"]]);
    const err = await fetchAll(() => concat([Uint8Array.from(head, (ch) => ch.charCodeAt(0)), encodeChunked(data(80, 4), { sizes: [30] })])).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
  });
  it("chunked 206 that ends short of its Content-Range: resumed again (or truncated), never complete", async () => {
    const head = responseHead(206, "Partial Content", [["Content-Range", "bytes 50-99/100"], ["Transfer-Encoding", "chunked"]]);
    const short = () => concat([Uint8Array.from(head, (ch) => ch.charCodeAt(0)), encodeChunked(FILE.subarray(50, 70), { sizes: [10] })]);
    const err = await fetchAll(short, 1).catch((e) => e);
    expect(err).toBeInstanceOf(BodyTruncatedError);
  });
});

describe("ranged requests answered with another range (issue 15.3)", () => {
  async function ranged(cr: string, body: Uint8Array, range = { start: 10, end: 19 }) {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      await c.readRequest();
      c.send(partial(cr, body));
    });
    const r = await run(client.get("http://10.0.0.1/f", { range }));
    return run(r.bytes());
  }
  it("the range asked is accepted", async () => {
    expect(await ranged("bytes 10-19/100", FILE.subarray(10, 20))).toEqual(FILE.subarray(10, 20));
  });
  it("an end beyond the file is clipped by the server and accepted", async () => {
    expect(await ranged("bytes 90-99/100", FILE.subarray(90), { start: 90, end: 500 })).toEqual(FILE.subarray(90));
  });
  it("a shorter range: RangeMismatchError", async () => {
    expect(await ranged("bytes 10-14/100", FILE.subarray(10, 15)).catch((e) => e)).toBeInstanceOf(RangeMismatchError);
  });
  it("a range starting elsewhere: RangeMismatchError", async () => {
    expect(await ranged("bytes 0-9/100", FILE.subarray(0, 10)).catch((e) => e)).toBeInstanceOf(RangeMismatchError);
  });
  it("a 206 to a request without Range that is not the whole file: RangeMismatchError", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      await c.readRequest();
      c.send(partial("bytes 0-9/100", FILE.subarray(0, 10)));
    });
    const err = await run(client.get("http://10.0.0.1/f").then((r) => run(r.bytes()))).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
  });
});
