// Network test (loopback only): TelnetSession over Node's net
// (@pxe/http/node's NodeNetTransport) against a small telnet server in this
// test on 127.0.0.1, which asks for NAWS and TERMINAL-TYPE, offers ECHO and
// an unknown option, and answers with what it got.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:net";
import { asciiBytes, latin1 } from "@pxe/core";
import { NodeNetTransport } from "@pxe/http/node";
import { DO, Option, TelnetDecoder, TelnetSession, WILL, WONT, encodeNegotiation, encodeSubnegotiation, parseNaws } from "@pxe/telnet";

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((sock) => {
    const dec = new TelnetDecoder();
    const seen: string[] = [];
    sock.write(Buffer.from([...encodeNegotiation(DO, Option.NAWS), ...encodeNegotiation(DO, Option.TERMINAL_TYPE), ...encodeNegotiation(WILL, Option.ECHO), ...encodeNegotiation(WILL, 99)]));
    sock.on("data", (buf) => {
      for (const e of dec.feed(new Uint8Array(buf))) {
        if (e.kind === "negotiate") {
          seen.push(`${e.verb === WILL ? "WILL" : e.verb === WONT ? "WONT" : e.verb === DO ? "DO" : "DONT"} ${e.option}`);
          if (e.verb === WILL && e.option === Option.TERMINAL_TYPE) sock.write(Buffer.from(encodeSubnegotiation(Option.TERMINAL_TYPE, Uint8Array.of(1))));
        } else if (e.kind === "subnegotiation" && e.option === Option.NAWS) {
          const n = parseNaws(e.data);
          seen.push(`NAWS ${n?.columns}x${n?.rows}`);
        } else if (e.kind === "subnegotiation" && e.option === Option.TERMINAL_TYPE) {
          seen.push(`TTYPE ${latin1(e.data.subarray(1))}`);
        } else if (e.kind === "data" && latin1(e.data).includes("report")) {
          sock.end(Buffer.from(asciiBytes(`got: ${seen.join(", ")}\r\n`)));
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("TelnetSession over Node's net", () => {
  it("negotiates NAWS, TERMINAL-TYPE and ECHO, refuses an unknown option, and reads to the server's close", async () => {
    const stream = await new NodeNetTransport().connect("127.0.0.1", port, { timeoutMs: 5000 });
    let text = "";
    const s = new TelnetSession(stream, { peer: `127.0.0.1:${port}`, terminalType: "ANSI", windowSize: { columns: 132, rows: 43 }, onData: (d) => (text += latin1(d)) });
    const ended = s.run();
    await new Promise((r) => setTimeout(r, 200));
    await s.send(asciiBytes("report\r"));
    expect(await ended).toBe("server closed");
    expect(text).toBe(`got: WILL ${Option.TERMINAL_TYPE}, WILL ${Option.NAWS}, DO ${Option.SGA}, DO ${Option.ECHO}, NAWS 132x43, DONT 99, TTYPE ANSI\r\n`);
    expect(s.protocol.mode).toBe("character");
  });
});
