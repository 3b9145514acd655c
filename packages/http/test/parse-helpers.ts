import { concat } from "@pxe/core";
import type { ResponseEvent, HttpMethod } from "@pxe/http";
import { ResponseParser } from "@pxe/http";

/** A parse result in comparable form: head summary, joined body, trailers, how it ended, leftover. */
export interface Parsed {
  status: number;
  reason: string;
  versionMinor: number;
  headers: [string, string][];
  framing: string;
  body: Uint8Array;
  trailers: [string, string][] | null;
  end: "end" | "truncated" | "none";
  leftover: Uint8Array;
}

/** Feeds `pieces` one by one (then EOF when `eof`) and summarises the events. */
export function parsePieces(pieces: Uint8Array[], method: HttpMethod = "GET", eof = true): Parsed {
  const p = new ResponseParser({ method });
  const events: ResponseEvent[] = [];
  for (const c of pieces) events.push(...p.feed(c));
  if (eof) events.push(...p.eof());
  const head = events.find((e) => e.type === "head");
  if (!head || head.type !== "head") throw new Error("no head");
  const body = concat(events.flatMap((e) => (e.type === "data" ? [e.data] : [])));
  const tr = events.find((e) => e.type === "trailers");
  const last = events[events.length - 1];
  return {
    status: head.head.status,
    reason: head.head.reason,
    versionMinor: head.head.versionMinor,
    headers: head.head.headers.entries().map(([n, v]) => [n, v]),
    framing: head.head.framing.kind,
    body,
    trailers: tr && tr.type === "trailers" ? tr.trailers.entries().map(([n, v]) => [n, v]) : null,
    end: last.type === "end" ? "end" : last.type === "truncated" ? "truncated" : "none",
    leftover: concat(p.leftover),
  };
}
