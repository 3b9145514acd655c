import fc from "fast-check";
import type { TcpHeader } from "../wire/header.js";
import { optionLength, type SackBlock, type TcpOption } from "../wire/options.js";
import { TCP_MAX_OPTIONS_LEN } from "../wire/constants.js";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });

/** Any SACK block. */
export const arbSackBlock: fc.Arbitrary<SackBlock> = fc.record({ left: u32, right: u32 });

/** Any single option except EOL (which may only end a list). */
export const arbOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: "nop" }),
  u16.map((mss): TcpOption => ({ kind: "mss", mss })),
  fc.integer({ min: 0, max: 255 }).map((shift): TcpOption => ({ kind: "windowScale", shift })),
  fc.constant<TcpOption>({ kind: "sackPermitted" }),
  fc.array(arbSackBlock, { minLength: 1, maxLength: 4 }).map((blocks): TcpOption => ({ kind: "sack", blocks })),
  fc.record({ tsVal: u32, tsEcr: u32 }).map(({ tsVal, tsEcr }): TcpOption => ({ kind: "timestamps", tsVal, tsEcr })),
  fc
    .record({ code: fc.integer({ min: 6, max: 255 }).filter((c) => c !== 8), data: fc.uint8Array({ maxLength: 12 }) })
    .map(({ code, data }): TcpOption => ({ kind: "unknown", code, data })),
);

/** An option list that fits the 40-byte options area (EOL only last). */
export const arbOptions: fc.Arbitrary<TcpOption[]> = fc
  .tuple(fc.array(arbOption, { maxLength: 8 }), fc.boolean())
  .map(([opts, eol]) => {
    const out: TcpOption[] = [];
    let n = 0;
    for (const o of opts) {
      if (n + optionLength(o) > TCP_MAX_OPTIONS_LEN - 1) break;
      out.push(o);
      n += optionLength(o);
    }
    if (eol) out.push({ kind: "eol" });
    return out;
  });

/** Any TCP header (checksum field arbitrary too). */
export const arbHeader: fc.Arbitrary<TcpHeader> = fc.record({
  srcPort: u16,
  dstPort: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 255 }),
  window: u16,
  checksum: u16,
  urgent: u16,
  options: arbOptions,
  reserved: fc.integer({ min: 0, max: 15 }),
});

/** A header and payload. */
export const arbSegment: fc.Arbitrary<{ header: TcpHeader; payload: Uint8Array }> = fc.record({
  header: arbHeader,
  payload: fc.uint8Array({ maxLength: 1460 }),
});

/**
 * Normalizer for `roundTrip`: the options codec pads with EOL bytes, so a
 * decoded list may end in an extra `eol`; trailing EOL entries are dropped.
 */
export function normalizeOptions(opts: readonly TcpOption[]): TcpOption[] {
  const out = opts.slice();
  while (out.length > 0 && out[out.length - 1].kind === "eol") out.pop();
  return out;
}

/** Normalizer for headers (see normalizeOptions). */
export function normalizeHeader(h: TcpHeader): TcpHeader {
  return { ...h, options: normalizeOptions(h.options), reserved: h.reserved ?? 0 };
}
