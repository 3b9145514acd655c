import { DO, DONT, WILL, WONT, type Verb } from "../wire/constants.js";

/** RFC 1143 state of one side of one option. */
export type QState = "no" | "yes" | "wantno" | "wantyes";

/** Which side performs the option: "us" (we send WILL/WONT) or "him" (the peer does; we send DO/DONT). */
export type Side = "us" | "him";

/** What the machine asks its owner to do. */
export type QAction =
  /** Send IAC verb option. */
  | { readonly kind: "send"; readonly verb: Verb; readonly option: number }
  /** The option became enabled or disabled on that side. */
  | { readonly kind: "changed"; readonly side: Side; readonly option: number; readonly enabled: boolean }
  /** The peer broke the protocol (e.g. answered DONT with WILL); the machine recovered. */
  | { readonly kind: "violation"; readonly side: Side; readonly option: number; readonly detail: string };

/** Which options we agree to perform (`us`) or to let the peer perform (`him`). */
export interface QPolicy {
  /** True when we accept the peer's DO option. */
  us(option: number): boolean;
  /** True when we accept the peer's WILL option. */
  him(option: number): boolean;
}

interface SideState {
  state: QState;
  /** RFC 1143's queue bit: the opposite request is waiting for the pending one to finish. */
  opposite: boolean;
}

/**
 * The option negotiation of RFC 1143 ("the Q method"), sans I/O: for each
 * option and side a state NO/YES/WANTNO/WANTYES with a one-bit queue. It
 * answers a request only when it changes the state, so two such machines (or
 * one and any RFC 854 peer) never loop; `receive` and `request` return what
 * to send and which options changed.
 */
export class QMethod {
  private readonly sides = new Map<number, SideState>();

  /** @param policy what we agree to. */
  constructor(private readonly policy: QPolicy) {}

  /** The current state of `option` on `side`. */
  state(side: Side, option: number): QState {
    return this.get(side, option).state;
  }

  /** True when `option` is in effect on `side`. */
  enabled(side: Side, option: number): boolean {
    return this.state(side, option) === "yes";
  }

  /** True while some negotiation has not been answered. */
  get pending(): boolean {
    for (const s of this.sides.values()) if (s.state === "wantno" || s.state === "wantyes") return true;
    return false;
  }

  /** Options enabled on `side`, ascending. */
  enabledOptions(side: Side): number[] {
    const out: number[] = [];
    for (const [key, s] of this.sides) if (s.state === "yes" && (key & 0x100 ? "him" : "us") === side) out.push(key & 0xff);
    return out.sort((a, b) => a - b);
  }

  /** Handles IAC verb option from the peer. */
  receive(verb: Verb, option: number): QAction[] {
    const out: QAction[] = [];
    if (verb === WILL || verb === WONT) this.onPeer("him", option, verb === WILL, out);
    else this.onPeer("us", option, verb === DO, out);
    return out;
  }

  /** We want `option` enabled (or disabled) on `side`: WILL/WONT for us, DO/DONT for him. */
  request(side: Side, option: number, enable: boolean): QAction[] {
    const out: QAction[] = [];
    const s = this.get(side, option);
    const send = (on: boolean) => out.push({ kind: "send", verb: verbFor(side, on), option });
    if (enable) {
      if (s.state === "no") {
        s.state = "wantyes";
        send(true);
      } else if (s.state === "wantno") s.opposite = true;
      else if (s.state === "wantyes") s.opposite = false;
    } else {
      if (s.state === "yes") {
        s.state = "wantno";
        send(false);
        out.push({ kind: "changed", side, option, enabled: false });
      } else if (s.state === "wantno") s.opposite = false;
      else if (s.state === "wantyes") s.opposite = true;
    }
    return out;
  }

  private onPeer(side: Side, option: number, on: boolean, out: QAction[]): void {
    const s = this.get(side, option);
    const send = (yes: boolean) => out.push({ kind: "send", verb: verbFor(side, yes), option });
    const changed = (enabled: boolean) => out.push({ kind: "changed", side, option, enabled });
    if (on) {
      switch (s.state) {
        case "no":
          if (side === "us" ? this.policy.us(option) : this.policy.him(option)) {
            s.state = "yes";
            send(true);
            changed(true);
          } else send(false);
          break;
        case "yes":
          break;
        case "wantno":
          out.push({ kind: "violation", side, option, detail: `${side === "him" ? "DONT answered by WILL" : "WONT answered by DO"}` });
          if (s.opposite) {
            s.state = "yes";
            s.opposite = false;
            changed(true);
          } else s.state = "no";
          break;
        case "wantyes":
          if (s.opposite) {
            s.state = "wantno";
            s.opposite = false;
            send(false);
          } else {
            s.state = "yes";
            changed(true);
          }
          break;
      }
    } else {
      switch (s.state) {
        case "no":
          break;
        case "yes":
          s.state = "no";
          send(false);
          changed(false);
          break;
        case "wantno":
          if (s.opposite) {
            s.state = "wantyes";
            s.opposite = false;
            send(true);
          } else s.state = "no";
          break;
        case "wantyes":
          s.state = "no";
          s.opposite = false;
          break;
      }
    }
  }

  private get(side: Side, option: number): SideState {
    const key = (side === "him" ? 0x100 : 0) | (option & 0xff);
    let s = this.sides.get(key);
    if (!s) {
      s = { state: "no", opposite: false };
      this.sides.set(key, s);
    }
    return s;
  }
}

function verbFor(side: Side, on: boolean): Verb {
  if (side === "us") return on ? WILL : WONT;
  return on ? DO : DONT;
}
