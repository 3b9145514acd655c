/**
 * Stack traces of a bundled loader, mapped back to its TypeScript sources.
 *
 * QuickJS (the NBP's engine) reports `loader.js:LINE` and knows no source
 * maps, so the bundle keeps one statement per line and esbuild's source map
 * (v3) is reduced to a line table: for every generated line, the source
 * file and line of its first mapped segment. The NBP build writes that map
 * beside the image (`OUT.map`); `pxe-nbp trace OUT.map` and the engine test
 * runner rewrite what the engine printed.
 */
import { NbpBuildError } from "./errors.js";

/** A source map as far as line mapping needs it (v3: `sources`, `mappings`). */
export interface SourceMapLines {
  readonly sources: readonly string[];
  readonly mappings: string;
}

/** A place in a source file (line counted from 1). */
export interface SourceLine {
  readonly source: string;
  readonly line: number;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The fields of one base64-VLQ segment (source map v3). */
function segmentFields(seg: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const d = B64.indexOf(ch);
    if (d < 0) throw new NbpBuildError(`source map: '${ch}' is not a base64 digit`);
    value += (d & 31) * 2 ** shift;
    if (d & 32) shift += 5;
    else {
      fields.push(value % 2 ? -Math.floor(value / 2) : Math.floor(value / 2));
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

/**
 * For each generated line (index 0 = line 1), the source and line of its
 * first mapped segment, or null where the line maps to nothing.
 */
export function lineTable(map: SourceMapLines): Array<SourceLine | null> {
  const out: Array<SourceLine | null> = [];
  let src = 0;
  let line = 0;
  for (const row of map.mappings.split(";")) {
    let first: SourceLine | null = null;
    for (const seg of row.split(",")) {
      if (!seg) continue;
      const f = segmentFields(seg);
      if (f.length < 4) continue;
      src += f[1];
      line += f[2];
      if (!first && map.sources[src] !== undefined) first = { source: map.sources[src], line: line + 1 };
    }
    out.push(first);
  }
  return out;
}

/**
 * Rewrites every `SCRIPT:LINE` (and V8's `SCRIPT:LINE:COLUMN`) in `text` to
 * the TypeScript place it came from, `source(line)`-formatted; places the
 * table does not know are left as they are.
 */
export function mapStackText(text: string, script: string, table: ReadonlyArray<SourceLine | null>, show: (s: SourceLine) => string = (s) => `${s.source}:${s.line}`): string {
  const name = script.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`${name}:(\\d+)(?::\\d+)?`, "g"), (all, n: string) => {
    const hit = table[Number(n) - 1];
    return hit ? show(hit) : all;
  });
}
