import { LoaderConfError } from "./errors.js";

/** The per-module fields of loader.conf (`X_load`, `X_name`, ...); `sha256` is this loader's addition. */
export type ModuleField = "load" | "name" | "type" | "flags" | "before" | "after" | "error" | "sha256";

/** One meaningful line of a loader.conf. */
export type ConfStatement =
  /** `name="value"`: a loader (and kernel) environment variable. */
  | { readonly kind: "env"; readonly name: string; readonly value: string; readonly line: number }
  /** `X_load="YES"`, `X_name="..."`, ...: a property of module X. */
  | { readonly kind: "module"; readonly module: string; readonly field: ModuleField; readonly value: string; readonly line: number }
  /** `exec="command"`: a loader command run while the file is read. */
  | { readonly kind: "exec"; readonly command: string; readonly line: number };

const MODULE_FIELDS: readonly ModuleField[] = ["load", "name", "type", "flags", "before", "after", "error", "sha256"];
const NAME_START = /[A-Za-z0-9_]/;
const NAME_CHAR = /[A-Za-z0-9_.\-]/;
const MODULE_KEY = /^([A-Za-z0-9_]+)_([a-z0-9]+)$/;

/**
 * Parses a loader.conf (or device.hints) in FreeBSD's syntax
 * (loader.conf(5)): one `name="value"` or `name=value` a line, blanks around
 * `=` allowed; `#` starts a comment outside quotes; inside double quotes
 * `\"` and `\\` are escapes; an unquoted value is one word. `X_load`,
 * `X_name`, `X_type`, `X_flags`, `X_before`, `X_after`, `X_error` and
 * `X_sha256` (X of letters, digits and `_`) describe module X; `exec`
 * runs a command. Any other line throws LoaderConfError with `file` and
 * the line number.
 */
export function parseLoaderConf(text: string, file: string): ConfStatement[] {
  const out: ConfStatement[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.charAt(raw.length - 1) === "\r" ? raw.slice(0, -1) : raw;
    const st = parseLine(line, i + 1, file);
    if (st) out.push(st);
  }
  return out;
}

function parseLine(line: string, n: number, file: string): ConfStatement | undefined {
  const fail = (reason: string): never => {
    throw new LoaderConfError(file, n, reason, line);
  };
  let i = skipBlanks(line, 0);
  if (i >= line.length || line.charAt(i) === "#") return undefined;
  const nameStart = i;
  if (!NAME_START.test(line.charAt(i))) fail(`a line starts with a name, not '${line.charAt(i)}'`);
  while (i < line.length && NAME_CHAR.test(line.charAt(i))) i++;
  const name = line.slice(nameStart, i);
  i = skipBlanks(line, i);
  if (line.charAt(i) !== "=") fail(i >= line.length ? `'${name}' has no '=value'` : `expected '=' after '${name}', not '${line.charAt(i)}'`);
  i = skipBlanks(line, i + 1);
  let value = "";
  if (line.charAt(i) === '"') {
    const open = i;
    i++;
    for (;;) {
      if (i >= line.length) fail(`unclosed quote (opened at column ${open + 1})`);
      const c = line.charAt(i);
      if (c === '"') break;
      if (c === "\\" && (line.charAt(i + 1) === '"' || line.charAt(i + 1) === "\\")) {
        value += line.charAt(i + 1);
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    i++;
  } else {
    const start = i;
    while (i < line.length && !/[\s"#]/.test(line.charAt(i))) i++;
    value = line.slice(start, i);
    if (value === "") fail(`'${name}=' has no value (use ${name}="" for an empty one)`);
  }
  i = skipBlanks(line, i);
  if (i < line.length && line.charAt(i) !== "#") fail(`unexpected '${line.slice(i, i + 20)}' after the value of '${name}'`);
  if (name === "exec") return { kind: "exec", command: value, line: n };
  const m = MODULE_KEY.exec(name);
  if (m && (MODULE_FIELDS as readonly string[]).indexOf(m[2]) >= 0) {
    return { kind: "module", module: m[1], field: m[2] as ModuleField, value, line: n };
  }
  return { kind: "env", name, value, line: n };
}

function skipBlanks(s: string, i: number): number {
  while (i < s.length && (s.charAt(i) === " " || s.charAt(i) === "\t")) i++;
  return i;
}
