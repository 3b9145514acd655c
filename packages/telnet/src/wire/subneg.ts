import { readU16be } from "@pxe/core";
import { Env, SubVerb } from "./constants.js";

/** Parameters of SB TERMINAL-TYPE IS name (RFC 1091): IS then the name in ASCII. */
export function terminalTypeIs(name: string): Uint8Array {
  const out = new Uint8Array(name.length + 1);
  out[0] = SubVerb.IS;
  for (let i = 0; i < name.length; i++) out[i + 1] = name.charCodeAt(i) & 0x7f;
  return out;
}

/** True for the parameters of SB TERMINAL-TYPE SEND (exactly one byte, SEND). */
export function isTerminalTypeSend(params: Uint8Array): boolean {
  return params.length === 1 && params[0] === SubVerb.SEND;
}

/** Parameters of SB NAWS (RFC 1073): width and height, 16 bits each, big-endian; clamped to 0..65535. */
export function nawsParams(columns: number, rows: number): Uint8Array {
  const c = clamp16(columns);
  const r = clamp16(rows);
  return Uint8Array.of(c >>> 8, c & 0xff, r >>> 8, r & 0xff);
}

/** Width and height out of NAWS parameters, or null when they are not exactly 4 bytes. */
export function parseNaws(params: Uint8Array): { columns: number; rows: number } | null {
  if (params.length !== 4) return null;
  return { columns: readU16be(params, 0), rows: readU16be(params, 2) };
}

function clamp16(n: number): number {
  return Math.max(0, Math.min(0xffff, Math.floor(n)));
}

/** One name a NEW-ENVIRON SEND asks for. */
export interface EnvRequest {
  /** VAR (well-known) or USERVAR. */
  readonly type: typeof Env.VAR | typeof Env.USERVAR;
  /** The name (bytes as Latin-1). */
  readonly name: string;
}

/**
 * What SB NEW-ENVIRON SEND asks for (RFC 1572): a list of names (each
 * VAR or USERVAR followed by its escaped name; a type with no name asks
 * for every variable of that type, given as an empty name). null when the
 * parameters are not a SEND.
 */
export function parseEnvSend(params: Uint8Array): EnvRequest[] | null {
  if (params.length === 0 || params[0] !== SubVerb.SEND) return null;
  const out: EnvRequest[] = [];
  let i = 1;
  while (i < params.length) {
    const type = params[i++];
    if (type !== Env.VAR && type !== Env.USERVAR) return out; // malformed: keep what was clear
    let name = "";
    while (i < params.length && params[i] !== Env.VAR && params[i] !== Env.USERVAR) {
      let b = params[i++];
      if (b === Env.ESC) {
        if (i >= params.length) break;
        b = params[i++];
      } else if (b === Env.VALUE) {
        continue; // a VALUE in a SEND is meaningless: skip the marker
      }
      name += String.fromCharCode(b);
    }
    out.push({ type: type as EnvRequest["type"], name });
  }
  return out;
}

/** Parameters of SB NEW-ENVIRON IS with the given well-known variables (names and values escaped). */
export function envIs(vars: ReadonlyArray<readonly [name: string, value: string]>): Uint8Array {
  const out: number[] = [SubVerb.IS];
  for (const [name, value] of vars) {
    out.push(Env.VAR);
    pushEscaped(out, name);
    out.push(Env.VALUE);
    pushEscaped(out, value);
  }
  return Uint8Array.from(out);
}

function pushEscaped(out: number[], s: string): void {
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) & 0xff;
    if (b <= Env.USERVAR) out.push(Env.ESC);
    out.push(b);
  }
}
