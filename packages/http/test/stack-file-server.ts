// A scripted HTTP/1.1 file server on stack B of a @pxe/sockets stackPair,
// over @pxe/tcp, for tests of the client over our own TCP in virtual time.
// Honours Range; `plan` decides per request how to misbehave.
import { TcpState, installTcp, type TcpConnection, type TcpLayer } from "@pxe/tcp";
import type { StackPair } from "@pxe/sockets/testing";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** How one response goes wrong (all optional: a correct keep-alive response). */
export interface ResponsePlan {
  /** Send only this many body bytes, then reset the connection. */
  resetAfter?: number;
  /** After the complete response, while the client holds the connection idle: FIN, RST or stray bytes. */
  idle?: "fin" | "rst" | "bytes";
}

/** A request as the server saw it. */
export interface SeenRequest {
  /** Connection index (accept order). */
  readonly conn: number;
  /** Request index on that connection. */
  readonly n: number;
  /** Path. */
  readonly path: string;
  /** Range header or null. */
  readonly range: string | null;
}

interface ServerConn {
  readonly c: TcpConnection;
  readonly index: number;
  head: string;
  n: number;
  out: Uint8Array | null;
  sent: number;
  after: ResponsePlan;
  done: boolean;
}

/** Serves `files` (path -> body) on port 80 of `pair.b`; every request is logged in the returned `requests`. */
export function stackFileServer(pair: StackPair, files: Map<string, Uint8Array>, plan: (r: SeenRequest) => ResponsePlan = () => ({})): { requests: SeenRequest[]; layer: TcpLayer } {
  const layer = installTcp(pair.b);
  const conns: ServerConn[] = [];
  const requests: SeenRequest[] = [];
  layer.listen(80, (c) => conns.push({ c, index: conns.length, head: "", n: 0, out: null, sent: 0, after: {}, done: false }));
  const respond = (s: ServerConn, text: string): void => {
    const [line, ...fields] = text.split("\r\n");
    const path = line.split(" ")[1];
    const rangeField = fields.find((f) => /^range:/i.test(f));
    const range = rangeField ? rangeField.slice(6).trim() : null;
    const seen = { conn: s.index, n: s.n++, path, range };
    requests.push(seen);
    const p = plan(seen);
    const body = files.get(path);
    let head: string;
    let slice: Uint8Array = new Uint8Array(0);
    if (!body) head = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    else {
      const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
      if (m) {
        const start = Number(m[1]);
        const end = m[2] === "" ? body.length - 1 : Math.min(Number(m[2]), body.length - 1);
        slice = body.subarray(start, end + 1);
        head = `HTTP/1.1 206 Partial Content\r\nContent-Range: bytes ${start}-${end}/${body.length}\r\nContent-Length: ${slice.length}\r\nETag: "f"\r\n\r\n`;
      } else {
        slice = body;
        head = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nETag: "f"\r\nAccept-Ranges: bytes\r\n\r\n`;
      }
    }
    const cut = p.resetAfter !== undefined ? Math.min(p.resetAfter, slice.length) : slice.length;
    const h = enc(head);
    s.out = new Uint8Array(h.length + cut);
    s.out.set(h);
    s.out.set(slice.subarray(0, cut), h.length);
    s.sent = 0;
    s.after = p;
  };
  const serve = (now: number): void => {
    for (const s of conns) {
      if (s.done) continue;
      if (s.c.state === TcpState.CLOSED) {
        s.done = true;
        continue;
      }
      if (s.c.recvAvailable > 0) s.head += String.fromCharCode(...s.c.recvBytes());
      if (s.out === null) {
        const end = s.head.indexOf("\r\n\r\n");
        if (end >= 0) {
          const text = s.head.slice(0, end);
          s.head = s.head.slice(end + 4);
          respond(s, text);
        }
      }
      if (s.out && s.sent < s.out.length && (s.c.state === TcpState.ESTABLISHED || s.c.state === TcpState.CLOSE_WAIT)) s.sent += s.c.send(s.out.subarray(s.sent));
      if (s.out && s.sent === s.out.length) {
        const a = s.after;
        if (a.resetAfter !== undefined) {
          if (s.c.sendQueued === 0) {
            s.c.abort();
            s.done = true;
          }
        } else if (a.idle === "fin") {
          s.c.close();
          s.done = true;
        } else if (a.idle === "rst") {
          if (s.c.sendQueued === 0) {
            s.c.abort();
            s.done = true;
          }
        } else if (a.idle === "bytes") {
          if (s.c.sendQueued === 0) {
            // Once the response is acknowledged (the client has it): a stray "response" nobody asked for.
            s.c.send(enc("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale"));
            s.done = true; // and nothing more on this connection
          }
        } else s.out = null;
      }
      layer.flush(s.c, now);
    }
  };
  pair.b.registerProtocol(253, { receive: () => "ok", poll: serve });
  return { requests, layer };
}
