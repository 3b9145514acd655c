import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DO, DONT, Option, QMethod, TelnetProtocol, TelnetDecoder, WILL, WONT, encodeNegotiation, encodeSubnegotiation, type QAction, type Side, type Verb } from "@pxe/telnet";

/** A message in flight: IAC verb option. */
interface Msg {
  readonly verb: Verb;
  readonly option: number;
}

/** What a peer (RFC 1143 machine) does at one step. */
type Step =
  | { readonly kind: "deliver"; readonly to: "a" | "b" } // deliver the oldest message in flight to that side
  | { readonly kind: "request"; readonly who: "a" | "b"; readonly side: Side; readonly option: number; readonly enable: boolean }
  | { readonly kind: "repeat"; readonly side: Side; readonly option: number }; // b re-sends the verb of the state it is in (a chatty peer)

const OPTIONS = [Option.ECHO, Option.SGA, Option.BINARY, 42];

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), to: fc.constantFrom("a" as const, "b" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      who: fc.constantFrom("a" as const, "b" as const),
      side: fc.constantFrom("us" as const, "him" as const),
      option: fc.constantFrom(...OPTIONS),
      enable: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), side: fc.constantFrom("us" as const, "him" as const), option: fc.constantFrom(...OPTIONS) }) },
);

/** The peer's attitude: agrees to everything, refuses everything, or decides per option. */
const arbPolicy = fc.oneof(
  fc.constant({ us: () => true, him: () => true }),
  fc.constant({ us: () => false, him: () => false }),
  fc.record({ us: fc.func(fc.boolean()), him: fc.func(fc.boolean()) }),
);

/**
 * A plain RFC 854 peer: it changes state as soon as it asks, answers only
 * verbs that would change its state, and changes its mind only once its last
 * request for that option was answered (it cannot tell an answer from a new
 * request, so asking again earlier would make it loop with anyone).
 */
class Rfc854Peer {
  private readonly on = new Map<string, boolean>();
  private readonly asked = new Set<string>();
  constructor(private readonly policy: { us(o: number): boolean; him(o: number): boolean }) {}
  state(side: Side, option: number): boolean {
    return this.on.get(`${side}${option}`) === true;
  }
  request(side: Side, option: number, enable: boolean): Msg[] {
    if (this.state(side, option) === enable || this.asked.has(`${side}${option}`)) return [];
    this.on.set(`${side}${option}`, enable);
    this.asked.add(`${side}${option}`);
    return [{ verb: verbOf(side, enable), option }];
  }
  receive(verb: Verb, option: number): Msg[] {
    const side: Side = verb === WILL || verb === WONT ? "him" : "us";
    const want = verb === WILL || verb === DO;
    const asked = this.asked.delete(`${side}${option}`);
    if (this.state(side, option) === want) return [];
    if (asked && !want) {
      this.on.set(`${side}${option}`, false); // our request was refused
      return [];
    }
    const ok = !want || this.policy[side](option);
    this.on.set(`${side}${option}`, ok && want);
    return [{ verb: verbOf(side, ok && want), option }];
  }
}

function verbOf(side: Side, on: boolean): Verb {
  return side === "us" ? (on ? WILL : WONT) : on ? DO : DONT;
}

/** RFC 854's rule against loops: a verb that confirms the state we are in gets no answer. */
function confirmsState(q: QMethod, verb: Verb, option: number): boolean {
  const side: Side = verb === WILL || verb === WONT ? "him" : "us";
  const on = verb === WILL || verb === DO;
  return q.state(side, option) === (on ? "yes" : "no");
}

function sends(actions: QAction[]): Msg[] {
  return actions.flatMap((a) => (a.kind === "send" ? [{ verb: a.verb, option: a.option }] : []));
}

describe("RFC 1143 option negotiation", () => {
  it("never loops and always converges against a Q-method or plain RFC 854 peer that agrees, refuses or changes its mind: no answer to a confirmation, both ends agree once the wire is quiet", () => {
    fc.assert(
      fc.property(arbPolicy, arbPolicy, fc.boolean(), fc.boolean(), fc.array(arbStep, { maxLength: 60 }), (pa, pb, plainPeer, chattyPeer, allSteps) => {
        const steps = chattyPeer ? allSteps : allSteps.filter((s) => s.kind !== "repeat");
        const a = new QMethod(pa);
        const b = plainPeer ? new Rfc854Peer(pb) : new QMethod(pb);
        const answer = (to: "a" | "b", msg: Msg): Msg[] => {
          if (to === "b") return b instanceof QMethod ? sends(b.receive(msg.verb, msg.option)) : b.receive(msg.verb, msg.option);
          const quiet = confirmsState(a, msg.verb, msg.option);
          const out = sends(a.receive(msg.verb, msg.option));
          if (quiet) expect(out).toEqual([]);
          return out;
        };
        const toA: Msg[] = [];
        const toB: Msg[] = [];
        let requests = 0;
        let sent = 0;
        let chatty = false; // a repeated DONT/WONT reads as a refusal: then only agreement is checked, not whose wish won
        const last = new Map<string, { who: "a" | "b"; enable: boolean }>(); // the latest wish per option, in a's terms
        const run = (step: Step) => {
          if (step.kind === "repeat") {
            chatty = true;
            const on = b instanceof QMethod ? b.enabled(step.side, step.option) : b.state(step.side, step.option);
            toA.push({ verb: verbOf(step.side, on), option: step.option });
            return;
          }
          if (step.kind === "request") {
            // Each side asks only for what its own policy would accept.
            if (step.enable && !(step.who === "a" ? pa : pb)[step.side](step.option)) return;
            requests++;
            const aSide = step.who === "a" ? step.side : step.side === "us" ? "him" : "us";
            const before = step.who === "a" ? a.state(step.side, step.option) : "";
            const m = step.who === "a" ? sends(a.request(step.side, step.option, step.enable)) : b instanceof QMethod ? sends(b.request(step.side, step.option, step.enable)) : b.request(step.side, step.option, step.enable);
            // A request of ours that found the state already as asked changes nothing: it is no wish.
            if (step.who === "b" || m.length > 0 || before.startsWith("want")) last.set(`${aSide}${step.option}`, { who: step.who, enable: step.enable });
            sent += m.length;
            (step.who === "a" ? toB : toA).push(...m);
            return;
          }
          const queue = step.to === "a" ? toA : toB;
          const msg = queue.shift();
          if (!msg) return;
          const m = answer(step.to, msg);
          sent += m.length;
          (step.to === "a" ? toB : toA).push(...m);
        };
        for (const s of steps) run(s);
        // Then let the wire drain: it must go quiet within a bound (no loop).
        let guard = 0;
        while (toA.length + toB.length > 0) {
          run({ kind: "deliver", to: toA.length > 0 ? "a" : "b" });
          expect(++guard).toBeLessThan(1000);
        }
        // Each request or refusal answers once: messages stay proportional to requests.
        expect(sent).toBeLessThanOrEqual(4 * requests);
        for (const o of OPTIONS) {
          for (const side of ["us", "him"] as const) {
            const other = side === "us" ? "him" : "us";
            expect(a.state(side, o)).not.toMatch(/^want/);
            if (b instanceof QMethod) expect(b.state(side, o)).not.toMatch(/^want/);
            expect(a.enabled(side, o)).toBe(b instanceof QMethod ? b.enabled(other, o) : b.state(other, o));
            // When our request (one that changed something) came last, it holds:
            // a disable always, an enable when the peer's policy accepts the option.
            const w = chatty ? undefined : last.get(`${side}${o}`);
            if (w && w.who === "a" && !w.enable) expect(a.enabled(side, o)).toBe(false);
            if (w && w.who === "a" && w.enable && pa[side](o)) expect(a.enabled(side, o)).toBe(pb[other](o));
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("answers a request once and ignores the acknowledgment (RFC 854 peers that echo every verb do not loop)", () => {
    const q = new QMethod({ us: () => true, him: () => true });
    expect(sends(q.receive(WILL, Option.ECHO))).toEqual([{ verb: DO, option: Option.ECHO }]);
    expect(sends(q.receive(WILL, Option.ECHO))).toEqual([]); // already YES: silence
    expect(sends(q.request("us", Option.SGA, true))).toEqual([{ verb: WILL, option: Option.SGA }]);
    expect(sends(q.receive(DO, Option.SGA))).toEqual([]); // the answer to our WILL
    expect(q.enabled("us", Option.SGA)).toBe(true);
    expect(sends(q.receive(DONT, Option.SGA))).toEqual([{ verb: WONT, option: Option.SGA }]);
    expect(sends(q.receive(DONT, Option.SGA))).toEqual([]);
  });
});

describe("TelnetProtocol", () => {
  const decodeAll = (chunks: Uint8Array[]) => chunks.flatMap((c) => new TelnetDecoder().feed(c));

  it("refuses options it does not know, both ways", () => {
    const p = new TelnetProtocol();
    const r = p.receive(Uint8Array.of(...encodeNegotiation(WILL, 42), ...encodeNegotiation(DO, Option.LINEMODE), ...encodeNegotiation(DO, Option.ECHO)));
    expect(decodeAll(r.reply)).toEqual([
      { kind: "negotiate", verb: DONT, option: 42 },
      { kind: "negotiate", verb: WONT, option: Option.LINEMODE },
      { kind: "negotiate", verb: WONT, option: Option.ECHO },
    ]);
  });

  it("sends NAWS when the server agrees, TERMINAL-TYPE IS on SEND, NEW-ENVIRON USER on SEND", () => {
    const p = new TelnetProtocol({ terminalType: "XTERM", windowSize: { columns: 100, rows: 37 }, user: "alice" });
    expect(decodeAll(p.start()).map((e) => e.kind === "negotiate" && [e.verb, e.option])).toEqual([
      [WILL, Option.TERMINAL_TYPE],
      [WILL, Option.NAWS],
      [WILL, Option.NEW_ENVIRON],
      [DO, Option.SGA],
      [DO, Option.ECHO],
    ]);
    const naws = p.receive(encodeNegotiation(DO, Option.NAWS));
    expect(decodeAll(naws.reply)).toEqual([{ kind: "subnegotiation", option: Option.NAWS, data: Uint8Array.of(0, 100, 0, 37), truncated: false }]);
    p.receive(encodeNegotiation(DO, Option.TERMINAL_TYPE));
    const tt = p.receive(encodeSubnegotiation(Option.TERMINAL_TYPE, Uint8Array.of(1)));
    expect(decodeAll(tt.reply)).toEqual([{ kind: "subnegotiation", option: Option.TERMINAL_TYPE, data: Uint8Array.of(0, ...Array.from("XTERM", (c) => c.charCodeAt(0))), truncated: false }]);
    p.receive(encodeNegotiation(DO, Option.NEW_ENVIRON));
    const env = p.receive(encodeSubnegotiation(Option.NEW_ENVIRON, Uint8Array.of(1, 0, 85, 83, 69, 82)));
    expect(decodeAll(env.reply)).toEqual([
      { kind: "subnegotiation", option: Option.NEW_ENVIRON, data: Uint8Array.of(0, 0, 85, 83, 69, 82, 1, 97, 108, 105, 99, 101), truncated: false },
    ]);
    expect(decodeAll(p.resize({ columns: 80, rows: 25 }))).toEqual([{ kind: "subnegotiation", option: Option.NAWS, data: Uint8Array.of(0, 80, 0, 25), truncated: false }]);
  });

  it("switches to character mode when the server echoes, and decodes BINARY data as is", () => {
    const p = new TelnetProtocol();
    expect(p.mode).toBe("line");
    p.receive(Uint8Array.of(...encodeNegotiation(WILL, Option.ECHO), ...encodeNegotiation(WILL, Option.SGA), ...encodeNegotiation(WILL, Option.BINARY)));
    expect(p.mode).toBe("character");
    expect(Array.from(p.receive(Uint8Array.of(13, 0)).data[0])).toEqual([13, 0]);
    expect(p.describeOptions()).toBe("we do: none; server does: BINARY ECHO SGA");
  });
});
