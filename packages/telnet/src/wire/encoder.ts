import { IAC, SB, SE, type Verb } from "./constants.js";

const CR = 13;
const LF = 10;

/**
 * Encodes application data for the wire: every 255 doubled (IAC IAC) and,
 * in NVT mode (`binary` false), a CR that is not followed by LF in `data`
 * sent as CR NUL (RFC 854). The decoder undoes both.
 */
export function encodeData(data: Uint8Array, binary: boolean): Uint8Array {
  let extra = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === IAC) extra++;
    else if (b === CR && !binary && data[i + 1] !== LF) extra++;
  }
  if (extra === 0) return data.slice();
  const out = new Uint8Array(data.length + extra);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    out[n++] = b;
    if (b === IAC) out[n++] = IAC;
    else if (b === CR && !binary && data[i + 1] !== LF) out[n++] = 0;
  }
  return out;
}

/** IAC verb option. */
export function encodeNegotiation(verb: Verb, option: number): Uint8Array {
  return Uint8Array.of(IAC, verb, option & 0xff);
}

/** IAC command (NOP, AYT, IP, BRK, ...). */
export function encodeCommand(command: number): Uint8Array {
  return Uint8Array.of(IAC, command & 0xff);
}

/** IAC SB option parameters IAC SE, with every 255 in the parameters doubled. */
export function encodeSubnegotiation(option: number, params: Uint8Array): Uint8Array {
  let iacs = 0;
  for (let i = 0; i < params.length; i++) if (params[i] === IAC) iacs++;
  const out = new Uint8Array(params.length + iacs + 5);
  out[0] = IAC;
  out[1] = SB;
  out[2] = option & 0xff;
  let n = 3;
  for (let i = 0; i < params.length; i++) {
    out[n++] = params[i];
    if (params[i] === IAC) out[n++] = IAC;
  }
  out[n++] = IAC;
  out[n++] = SE;
  return out;
}
