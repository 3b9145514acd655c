import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { concat } from "@pxe/core";
import { splitAt } from "@pxe/http/testing";
import { DO, DONT, IAC, NOP, AYT, Option, SB, SE, TelnetDecoder, WILL, WONT, encodeCommand, encodeData, encodeNegotiation, encodeSubnegotiation, type TelnetEvent } from "@pxe/telnet";

type Ev = TelnetEvent;

const arbBytes = fc.uint8Array({ maxLength: 64 }).chain((a) =>
  // plenty of the interesting bytes: IAC, CR, LF, NUL, SE
  fc.constant(a.map((b) => [IAC, 13, 10, 0, SE, b, b][b % 7])),
);
const arbEvent: fc.Arbitrary<Ev> = fc.oneof(
  arbBytes.filter((d) => d.length > 0).map((data) => ({ kind: "data" as const, data })),
  fc.record({ kind: fc.constant("negotiate" as const), verb: fc.constantFrom(WILL, WONT, DO, DONT), option: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("command" as const), command: fc.constantFrom(NOP, AYT, 241, 242, 243, 244, 245, 246, 247, 248, 249) }),
  fc.record({ kind: fc.constant("subnegotiation" as const), option: fc.integer({ min: 0, max: 255 }), data: arbBytes, truncated: fc.constant(false) }),
);

function encodeEvent(e: Ev, binary: boolean): Uint8Array {
  switch (e.kind) {
    case "data":
      return encodeData(e.data, binary);
    case "negotiate":
      return encodeNegotiation(e.verb, e.option);
    case "command":
      return encodeCommand(e.command);
    case "subnegotiation":
      return encodeSubnegotiation(e.option, e.data);
  }
}

/** Adjacent data events merged (the decoder may split or join data at cuts). */
function normalise(events: readonly Ev[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const last = out[out.length - 1] as { kind: string; data: number[] } | undefined;
    if (e.kind === "data" && last && last.kind === "data") last.data.push(...e.data);
    else if (e.kind === "data") out.push({ kind: "data", data: Array.from(e.data) });
    else if (e.kind === "subnegotiation") out.push({ ...e, data: Array.from(e.data) });
    else out.push({ ...e });
  }
  return out;
}

describe("telnet codec", () => {
  it("round-trips any sequence of data, negotiations, commands and subnegotiations, cut anywhere (NVT and BINARY)", () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (events, cuts, binary) => {
        const wire = concat(events.map((e) => encodeEvent(e, binary)));
        const dec = new TelnetDecoder();
        dec.binary = binary;
        const got: Ev[] = [];
        for (const part of splitAt(wire, cuts.map((c) => c % (wire.length + 1)))) got.push(...dec.feed(part));
        expect(normalise(got)).toEqual(normalise(events));
        expect(dec.midCommand).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("doubles IAC in data and subnegotiations", () => {
    expect(Array.from(encodeData(Uint8Array.of(1, IAC, 2), true))).toEqual([1, IAC, IAC, 2]);
    expect(Array.from(encodeSubnegotiation(Option.NAWS, Uint8Array.of(0, IAC, 0, 24)))).toEqual([IAC, SB, 31, 0, IAC, IAC, 0, 24, IAC, SE]);
  });

  it("sends a lone CR as CR NUL in NVT mode, CR LF unchanged, CR as is in BINARY", () => {
    expect(Array.from(encodeData(Uint8Array.of(13, 65, 13, 10, 13), false))).toEqual([13, 0, 65, 13, 10, 13, 0]);
    expect(Array.from(encodeData(Uint8Array.of(13, 65), true))).toEqual([13, 65]);
  });

  it("reads CR NUL as CR in NVT mode, also across a cut, and keeps NUL in BINARY", () => {
    const d = new TelnetDecoder();
    const a = d.feed(Uint8Array.of(65, 13));
    const b = d.feed(Uint8Array.of(0, 66));
    expect(normalise([...a, ...b])).toEqual([{ kind: "data", data: [65, 13, 66] }]);
    const bin = new TelnetDecoder();
    bin.binary = true;
    expect(normalise(bin.feed(Uint8Array.of(13, 0)))).toEqual([{ kind: "data", data: [13, 0] }]);
  });

  it("cuts an oversized subnegotiation at the limit and says so, then decodes on", () => {
    const d = new TelnetDecoder(8);
    const evs = d.feed(concat([encodeSubnegotiation(24, new Uint8Array(100).fill(7)), Uint8Array.of(72, 73)]));
    expect(evs[0]).toMatchObject({ kind: "subnegotiation", option: 24, truncated: true });
    expect((evs[0] as { data: Uint8Array }).data.length).toBe(8);
    expect(normalise(evs.slice(1))).toEqual([{ kind: "data", data: [72, 73] }]);
  });

  it("ends a subnegotiation broken by IAC + command and decodes the command", () => {
    const d = new TelnetDecoder();
    const evs = d.feed(Uint8Array.of(IAC, SB, 24, 1, IAC, WILL, 1, 65));
    expect(evs.map((e) => e.kind)).toEqual(["subnegotiation", "negotiate", "data"]);
    expect(evs[1]).toMatchObject({ verb: WILL, option: 1 });
  });
});
