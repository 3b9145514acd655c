import { asciiBytes, concat } from "@pxe/core";
import { encodeChunked, HttpClient, parseContentRange } from "@pxe/http";
import type { HttpClientOptions } from "@pxe/http";
import { drive, ManualTimers, MemoryTransport, responseHead } from "@pxe/http/testing";
import type { RecordedRequest, ScriptedConnection, ScriptedServer } from "@pxe/http/testing";


/** A client over a fresh in-memory transport and virtual timers. */
export function setup(opts: Partial<HttpClientOptions> = {}) {
  const timers = new ManualTimers();
  const transport = new MemoryTransport();
  const client = new HttpClient({ transport, timers, ...opts });
  const run = <T>(p: Promise<T>): Promise<T> => drive(timers, p);
  return { timers, transport, client, run };
}

/** Deterministic test data. */
export function data(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** How a scripted file server misbehaves. */
export interface FileServerOptions {
  /** Answer Range requests with 200 and the whole file. */
  ignoreRange?: boolean;
  /** ETag to send. */
  etag?: string;
  /** Send Connection: close and close after each response. */
  close?: boolean;
  /** Respond as HTTP/1.0 without Content-Length (close-delimited). */
  http10?: boolean;
  /** Use chunked encoding with these chunk sizes and trailers. */
  chunked?: { sizes: number[]; trailers?: [string, string][] };
  /** On connection k (index in this server's connections), cut the body after n bytes: "reset" or "end" (FIN). */
  cut?: Record<number, { after: number; how: "reset" | "end" }>;
  /** Send the body in pieces of `bytes`, sleeping `ms` between them. */
  drip?: { bytes: number; ms: number; sleep: (ms: number) => Promise<void> };
  /** Extra header fields. */
  headers?: [string, string][];
}

/** A server that serves `body` for any path, honouring Range (unless told not to), misbehaving as asked. */
export function fileServer(body: Uint8Array, o: FileServerOptions = {}): ScriptedServer & { requests: RecordedRequest[] } {
  let connIndex = 0;
  const requests: RecordedRequest[] = [];
  const server = async (conn: ScriptedConnection) => {
    const k = connIndex++;
    for (;;) {
      const req = await conn.readRequest();
      if (!req) return;
      requests.push(req);
      let status = 200;
      let slice = body;
      const fields: [string, string][] = [...(o.headers ?? [])];
      if (o.etag) fields.push(["ETag", o.etag]);
      fields.push(["Accept-Ranges", "bytes"]);
      const range = req.headers.get("range");
      if (range && !o.ignoreRange) {
        const m = /^bytes=(\d+)-(\d*)$/.exec(range)!;
        const start = Number(m[1]);
        const end = m[2] === "" ? body.length - 1 : Math.min(Number(m[2]), body.length - 1);
        if (start >= body.length) {
          conn.send(responseHead(416, "Range Not Satisfiable", [["Content-Range", `bytes */${body.length}`], ["Content-Length", "0"]]));
          continue;
        }
        status = 206;
        slice = body.subarray(start, end + 1);
        fields.push(["Content-Range", `bytes ${start}-${end}/${body.length}`]);
      }
      let payload: Uint8Array;
      if (o.chunked) {
        fields.push(["Transfer-Encoding", "chunked"]);
        payload = req.method === "HEAD" ? new Uint8Array(0) : encodeChunked(slice, { sizes: o.chunked.sizes, trailers: o.chunked.trailers });
      } else if (o.http10) {
        payload = req.method === "HEAD" ? new Uint8Array(0) : slice;
      } else {
        fields.push(["Content-Length", String(slice.length)]);
        payload = req.method === "HEAD" ? new Uint8Array(0) : slice;
      }
      if (o.close) fields.push(["Connection", "close"]);
      const head = asciiBytes(responseHead(status, status === 206 ? "Partial Content" : "OK", fields, o.http10 ? "1.0" : "1.1"));
      const cut = o.cut?.[k];
      if (cut) {
        conn.send(concat([head, payload.subarray(0, cut.after)]));
        if (cut.how === "reset") conn.reset();
        else conn.end();
        return;
      }
      if (o.drip) {
        conn.send(head);
        for (let i = 0; i < payload.length; i += o.drip.bytes) {
          await o.drip.sleep(o.drip.ms);
          conn.send(payload.subarray(i, i + o.drip.bytes));
        }
      } else conn.send(concat([head, payload]));
      if (o.close || o.http10) {
        conn.end();
        return;
      }
    }
  };
  return Object.assign(server, { requests });
}

/** Reads a whole body through its iterator, collecting restarts. */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c);
  return concat(parts);
}

export { parseContentRange };
