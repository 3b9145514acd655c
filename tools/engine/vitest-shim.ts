// A small stand-in for "vitest" that runs inside QuickJS (tools/engine/run.mjs
// aliases "vitest" to this file when it bundles a test for the engine).
//
// It collects describe/it blocks while the bundle loads, then __run() runs them
// one after another and prints one line per test plus a closing
//   @@PXE-ENGINE {"passed":N,"failed":N,"skipped":N}
// line that the host reads. It relies only on ES2020 and `console.log`, so a
// missing global in the engine shows up as a failing test, not as a shim crash.
//
// Supported: describe/it/test (+ .skip, .only, .todo, .each, .skipIf, .runIf,
// .concurrent run sequentially), beforeAll/afterAll/beforeEach/afterEach, and
// expect with the matchers below, `.not`, `.resolves`, `.rejects`,
// expect.any/anything/objectContaining/arrayContaining/stringContaining/
// stringMatching, expect.assertions/hasAssertions, and toMatchSnapshot against
// the file's stored vitest snapshot (strings and plain values; compare only).
// `vi` is deliberately absent:
// test files that use it are Node-only and the runner excludes them.

type Fn = () => unknown;
type Hook = () => unknown;

interface TestCase {
  kind: "test";
  name: string;
  fn: Fn | undefined;
  mode: "run" | "skip" | "todo" | "only";
}

interface Suite {
  kind: "suite";
  name: string;
  children: Array<Suite | TestCase>;
  mode: "run" | "skip" | "only";
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
}

const newSuite = (name: string, mode: Suite["mode"]): Suite => ({
  kind: "suite",
  name,
  children: [],
  mode,
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
});

const rootSuite = newSuite("", "run");
let current = rootSuite;
let anyOnly = false;

// ------------------------------------------------------------------ formatting

function fmt(v: unknown, depth = 0): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return `[Function ${v.name || "anonymous"}]`;
  if (typeof v === "symbol") return v.toString();
  if (v === null || typeof v !== "object") return String(v);
  if (isAsymmetric(v)) return v.toString();
  if (depth > 3) return "[…]";
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v instanceof Date) return `Date(${isNaN(v.getTime()) ? "Invalid" : v.toISOString()})`;
  if (v instanceof RegExp) return String(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = Array.from(v as unknown as ArrayLike<number | bigint>);
    const shown = a.slice(0, 32).map((x) => (typeof x === "bigint" ? `${x}n` : String(x)));
    return `${v.constructor.name}[${shown.join(", ")}${a.length > 32 ? `, … ${a.length - 32} more` : ""}]`;
  }
  if (Array.isArray(v)) {
    const shown = v.slice(0, 20).map((x) => fmt(x, depth + 1));
    return `[${shown.join(", ")}${v.length > 20 ? `, … ${v.length - 20} more` : ""}]`;
  }
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${fmt(k, depth + 1)} => ${fmt(x, depth + 1)}`).join(", ")}}`;
  if (v instanceof Set) return `Set{${[...v].map((x) => fmt(x, depth + 1)).join(", ")}}`;
  const ctor = (v as object).constructor;
  const prefix = ctor && ctor !== Object && ctor.name ? `${ctor.name} ` : "";
  const keys = Object.keys(v as object);
  const shown = keys.slice(0, 20).map((k) => `${k}: ${fmt((v as Record<string, unknown>)[k], depth + 1)}`);
  return `${prefix}{${shown.join(", ")}${keys.length > 20 ? ", …" : ""}}`;
}

// ------------------------------------------------------------------ equality

interface Asymmetric {
  __asymmetric: true;
  matches(x: unknown): boolean;
  toString(): string;
}

function isAsymmetric(v: unknown): v is Asymmetric {
  return typeof v === "object" && v !== null && (v as { __asymmetric?: unknown }).__asymmetric === true;
}

function equals(a: unknown, b: unknown, strict: boolean, seen: Array<[unknown, unknown]> = []): boolean {
  if (isAsymmetric(b)) return b.matches(a);
  if (isAsymmetric(a)) return a.matches(b);
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  for (const [x, y] of seen) if (x === a && y === b) return true;
  seen = [...seen, [a, b]];
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  }
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (a instanceof Error && b instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
    if (a.constructor !== b.constructor) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (a instanceof ArrayBuffer || b instanceof ArrayBuffer) {
    if (!(a instanceof ArrayBuffer && b instanceof ArrayBuffer)) return false;
    return equals(new Uint8Array(a), new Uint8Array(b), strict, seen);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (strict && (i in a) !== (i in b)) return false;
      if (!equals(a[i], b[i], strict, seen)) return false;
    }
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !equals(v, b.get(k), strict, seen)) return false;
    return true;
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    outer: for (const v of a) {
      if (b.has(v)) continue;
      for (const w of b) if (equals(v, w, strict, seen)) continue outer;
      return false;
    }
    return true;
  }
  const ka = ownKeys(a, strict);
  const kb = ownKeys(b, strict);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) && !(k in (b as object))) return false;
    if (!equals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], strict, seen)) return false;
  }
  return true;
}

/** Enumerable own keys; toEqual ignores properties whose value is undefined. */
function ownKeys(o: object, strict: boolean): string[] {
  const keys = Object.keys(o);
  return strict ? keys : keys.filter((k) => (o as Record<string, unknown>)[k] !== undefined);
}

function matchesObject(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.matches(actual);
  if (typeof expected !== "object" || expected === null) return equals(actual, expected, false);
  if (typeof actual !== "object" || actual === null) return false;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    return expected.every((e, i) => matchesObject(actual[i], e));
  }
  if (expected instanceof Date || expected instanceof RegExp || ArrayBuffer.isView(expected) || expected instanceof Map || expected instanceof Set) {
    return equals(actual, expected, false);
  }
  for (const k of Object.keys(expected)) {
    if (!(k in (actual as object))) return false;
    if (!matchesObject((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k])) return false;
  }
  return true;
}

// ------------------------------------------------------------------ expect

/** The error an assertion throws. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

let assertionCount = 0;
let currentTestName = "";
let snapshotCounts: Record<string, number> = {};

/** The test file's vitest snapshots, put in by tools/engine/run.mjs when they exist. */
function storedSnapshots(): Record<string, string> {
  const s = (globalThis as { __PXE_SNAPSHOTS__?: Record<string, string> }).__PXE_SNAPSHOTS__;
  return s ?? {};
}
let expectedAssertions: number | undefined;
let expectHasAssertions = false;

function describeThrown(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : fmt(e);
}

function thrownMatches(thrown: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (typeof expected === "string") return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (typeof expected === "function") return thrown instanceof (expected as new (...a: unknown[]) => unknown);
  if (expected instanceof Error) return message === expected.message;
  if (isAsymmetric(expected)) return expected.matches(thrown);
  if (typeof expected === "object" && expected !== null) return matchesObject(thrown, expected);
  return false;
}

type Matchers = Record<string, (...args: any[]) => any>;

function makeMatchers(actual: unknown, negate: boolean, mode: "sync" | "resolves" | "rejects" = "sync"): Matchers {
  const check = (pass: boolean, what: string, expectedText?: string) => {
    assertionCount++;
    if (pass === negate) {
      const exp = expectedText === undefined ? "" : ` ${expectedText}`;
      throw new AssertionError(`expected ${fmt(actual)} ${negate ? "not " : ""}${what}${exp}`);
    }
  };
  const m: Matchers = {
    toBe: (e: unknown) => check(Object.is(actual, e), "to be", fmt(e)),
    toEqual: (e: unknown) => check(equals(actual, e, false), "to equal", fmt(e)),
    toStrictEqual: (e: unknown) => check(equals(actual, e, true), "to strictly equal", fmt(e)),
    toMatchObject: (e: unknown) => check(matchesObject(actual, e), "to match object", fmt(e)),
    toBeInstanceOf: (c: new (...a: unknown[]) => unknown) => check(actual instanceof c, "to be an instance of", c?.name),
    toBeDefined: () => check(actual !== undefined, "to be defined"),
    toBeUndefined: () => check(actual === undefined, "to be undefined"),
    toBeNull: () => check(actual === null, "to be null"),
    toBeNaN: () => check(typeof actual === "number" && Number.isNaN(actual), "to be NaN"),
    toBeTruthy: () => check(!!actual, "to be truthy"),
    toBeFalsy: () => check(!actual, "to be falsy"),
    toBeTypeOf: (t: string) => check(typeof actual === t, "to be of type", t),
    toBeGreaterThan: (n: number | bigint) => check((actual as number) > n, "to be greater than", fmt(n)),
    toBeGreaterThanOrEqual: (n: number | bigint) => check((actual as number) >= n, "to be greater than or equal to", fmt(n)),
    toBeLessThan: (n: number | bigint) => check((actual as number) < n, "to be less than", fmt(n)),
    toBeLessThanOrEqual: (n: number | bigint) => check((actual as number) <= n, "to be less than or equal to", fmt(n)),
    toBeCloseTo: (n: number, digits = 2) => {
      const a = actual as number;
      const pass = (a === Infinity && n === Infinity) || (a === -Infinity && n === -Infinity) || Math.abs(n - a) < Math.pow(10, -digits) / 2;
      check(pass, `to be close to (${digits} digits)`, fmt(n));
    },
    toContain: (item: unknown) => {
      const pass =
        typeof actual === "string"
          ? actual.includes(String(item))
          : actual != null && typeof (actual as Iterable<unknown>)[Symbol.iterator] === "function"
            ? Array.from(actual as Iterable<unknown>).some((x) => x === item)
            : false;
      check(pass, "to contain", fmt(item));
    },
    toContainEqual: (item: unknown) => {
      const pass = Array.from((actual as Iterable<unknown>) ?? []).some((x) => equals(x, item, false));
      check(pass, "to contain an element equal to", fmt(item));
    },
    toHaveLength: (n: number) => check(actual != null && (actual as { length?: unknown }).length === n, "to have length", String(n)),
    toHaveProperty: (path: string | string[], ...value: unknown[]) => {
      const parts = Array.isArray(path) ? path : path.split(".");
      let o: unknown = actual;
      let found = true;
      for (const p of parts) {
        if (o == null || !(typeof o === "object" || typeof o === "function") || !(p in (o as object))) {
          found = false;
          break;
        }
        o = (o as Record<string, unknown>)[p];
      }
      const pass = found && (value.length === 0 || equals(o, value[0], false));
      check(pass, "to have property", `${parts.join(".")}${value.length ? ` = ${fmt(value[0])}` : ""}`);
    },
    toMatch: (re: RegExp | string) => {
      const s = String(actual);
      check(typeof re === "string" ? s.includes(re) : re.test(s), "to match", fmt(re));
    },
    toSatisfy: (pred: (x: unknown) => boolean) => check(!!pred(actual), "to satisfy", pred.name || "the predicate"),
    toThrow: (expected?: unknown) => {
      let thrown: unknown;
      let threw = false;
      if (mode === "rejects") {
        threw = true;
        thrown = actual;
      } else {
        if (typeof actual !== "function") throw new AssertionError(`toThrow() needs a function, got ${fmt(actual)}`);
        try {
          (actual as () => unknown)();
        } catch (e) {
          threw = true;
          thrown = e;
        }
      }
      assertionCount++;
      if (!negate) {
        if (!threw) throw new AssertionError(`expected the function to throw${expected === undefined ? "" : ` ${fmt(expected)}`}`);
        if (!thrownMatches(thrown, expected)) {
          throw new AssertionError(`expected a throw matching ${fmt(expected)}, got ${describeThrown(thrown)}`);
        }
      } else if (threw && (expected === undefined || thrownMatches(thrown, expected))) {
        throw new AssertionError(`expected the function not to throw${expected === undefined ? "" : ` ${fmt(expected)}`}, got ${describeThrown(thrown)}`);
      }
    },
  };
  m.toThrowError = m.toThrow;
  m.toMatchSnapshot = (hint?: unknown) => {
    if (negate) throw new AssertionError("not.toMatchSnapshot() is not a thing");
    const key = `${currentTestName}${typeof hint === "string" ? ` > ${hint}` : ""}`;
    const n = (snapshotCounts[key] = (snapshotCounts[key] ?? 0) + 1);
    const stored = storedSnapshots()[`${key} ${n}`];
    assertionCount++;
    if (stored === undefined) {
      throw new AssertionError(`no stored snapshot "${key} ${n}": run vitest once to write it (the engine only compares)`);
    }
    let data: string;
    if (typeof actual === "string") data = `"${actual}"`;
    else if (typeof actual === "number" || typeof actual === "boolean" || actual === null || actual === undefined) data = String(actual);
    else throw new AssertionError("the engine compares snapshots of strings, numbers, booleans, null and undefined only");
    if (data.includes("\n")) data = `\n${data}\n`;
    if (data !== stored.replace(/\r\n/g, "\n")) {
      throw new AssertionError(`snapshot "${key} ${n}" differs:\n--- stored\n${stored}\n+++ now\n${data}`);
    }
  };
  m.toBeCalled = () => {
    throw new AssertionError("mocks (vi) are not available in the engine");
  };
  return m;
}

interface Expectation {
  [matcher: string]: any;
  not: Matchers;
  resolves: Matchers & { not: Matchers };
  rejects: Matchers & { not: Matchers };
}

function asyncMatchers(promise: unknown, negate: boolean, mode: "resolves" | "rejects"): Matchers {
  const names = Object.keys(makeMatchers(undefined, false));
  const out: Matchers = {};
  for (const name of names) {
    out[name] = (...args: unknown[]) =>
      Promise.resolve(promise).then(
        (value) => {
          if (mode === "rejects") {
            assertionCount++;
            throw new AssertionError(`expected the promise to reject, it resolved to ${fmt(value)}`);
          }
          return makeMatchers(value, negate, "resolves")[name]!(...args);
        },
        (err) => {
          if (mode === "resolves") {
            assertionCount++;
            throw new AssertionError(`expected the promise to resolve, it rejected with ${describeThrown(err)}`);
          }
          return makeMatchers(err, negate, "rejects")[name]!(...args);
        },
      );
  }
  return out;
}

function asymmetric(text: string, matches: (x: unknown) => boolean): Asymmetric {
  return { __asymmetric: true, matches, toString: () => text };
}

export const expect = Object.assign(
  (actual: unknown, _message?: string): Expectation => {
    const e = makeMatchers(actual, false) as Expectation;
    e.not = makeMatchers(actual, true);
    e.resolves = Object.assign(asyncMatchers(actual, false, "resolves"), { not: asyncMatchers(actual, true, "resolves") });
    e.rejects = Object.assign(asyncMatchers(actual, false, "rejects"), { not: asyncMatchers(actual, true, "rejects") });
    return e;
  },
  {
    any: (c: unknown) =>
      asymmetric(`Any<${(c as { name?: string })?.name}>`, (x) => {
        if (c === Number) return typeof x === "number" || x instanceof Number;
        if (c === String) return typeof x === "string" || x instanceof String;
        if (c === Boolean) return typeof x === "boolean" || x instanceof Boolean;
        if (c === BigInt) return typeof x === "bigint";
        if (c === Function) return typeof x === "function";
        if (c === Object) return typeof x === "object" && x !== null;
        return x instanceof (c as new () => unknown);
      }),
    anything: () => asymmetric("Anything", (x) => x !== null && x !== undefined),
    objectContaining: (o: object) => asymmetric(`ObjectContaining ${fmt(o)}`, (x) => matchesObject(x, o)),
    arrayContaining: (a: unknown[]) =>
      asymmetric(`ArrayContaining ${fmt(a)}`, (x) => Array.isArray(x) && a.every((e) => x.some((y) => equals(y, e, false)))),
    stringContaining: (s: string) => asymmetric(`StringContaining ${fmt(s)}`, (x) => typeof x === "string" && x.includes(s)),
    stringMatching: (r: RegExp | string) =>
      asymmetric(`StringMatching ${fmt(r)}`, (x) => typeof x === "string" && (typeof r === "string" ? x.includes(r) : r.test(x))),
    closeTo: (n: number, digits = 2) =>
      asymmetric(`CloseTo ${n}`, (x) => typeof x === "number" && Math.abs(n - x) < Math.pow(10, -digits) / 2),
    assertions: (n: number) => {
      expectedAssertions = n;
    },
    hasAssertions: () => {
      expectHasAssertions = true;
    },
  },
);

/** Vitest's `assert`-style helper some tests use. */
export function assert(value: unknown, message?: string): asserts value {
  assertionCount++;
  if (!value) throw new AssertionError(message ?? `expected ${fmt(value)} to be truthy`);
}

// ------------------------------------------------------------------ registration

function formatTitle(title: string, row: unknown, index: number): string {
  const args = Array.isArray(row) ? row : [row];
  let i = 0;
  let out = title.replace(/%[sdifjoO#%]/g, (spec) => {
    if (spec === "%%") return "%";
    if (spec === "%#") return String(index);
    const v = args[i++];
    if (spec === "%s") return typeof v === "string" ? v : fmt(v);
    if (spec === "%d" || spec === "%i") return String(spec === "%i" ? Math.trunc(Number(v)) : Number(v));
    if (spec === "%f") return String(Number(v));
    return fmt(v);
  });
  if (row && typeof row === "object" && !Array.isArray(row)) {
    out = out.replace(/\$([A-Za-z_][\w.]*)/g, (_, path: string) => {
      let o: unknown = row;
      for (const p of path.split(".")) o = o == null ? undefined : (o as Record<string, unknown>)[p];
      return typeof o === "string" ? o : fmt(o);
    });
  }
  return out;
}

function addTest(name: string, fn: Fn | undefined, mode: TestCase["mode"]) {
  if (mode === "only") anyOnly = true;
  current.children.push({ kind: "test", name, fn, mode });
}

function addSuite(name: string, fn: Fn | undefined, mode: Suite["mode"]) {
  if (mode === "only") anyOnly = true;
  const s = newSuite(name, mode);
  current.children.push(s);
  const parent = current;
  current = s;
  try {
    const r = fn?.();
    if (r && typeof (r as Promise<unknown>).then === "function") {
      throw new Error(`describe("${name}") callback returned a promise: describe bodies must be synchronous`);
    }
  } finally {
    current = parent;
  }
}

type EachFn = (table: readonly unknown[]) => (name: string, fn: (...args: any[]) => unknown) => void;

function withVariants<T extends (name: string, fn?: any, maybeFn?: any) => void>(
  base: (mode: any) => T,
  kind: "test" | "suite",
) {
  const each =
    (mode: string): EachFn =>
    (table) =>
    (name, fn) => {
      table.forEach((row, i) => {
        const args = Array.isArray(row) ? row : [row];
        base(mode)(formatTitle(name, row, i), () => fn(...args));
      });
    };
  const run = base("run");
  return Object.assign(run, {
    skip: base("skip"),
    only: base("only"),
    todo: kind === "test" ? base("todo") : base("skip"),
    concurrent: run,
    sequential: run,
    each: each("run"),
    skipIf: (cond: unknown) => (cond ? base("skip") : run),
    runIf: (cond: unknown) => (cond ? run : base("skip")),
    fails: (name: string) => base("skip")(`${name} (it.fails is not supported in the engine)`),
  });
}

const testFactory = (mode: TestCase["mode"]) => (name: string, fn?: Fn | object, maybeFn?: Fn | number) => {
  // it(name, options, fn) and it(name, fn, timeout) both exist in vitest.
  const f = typeof fn === "function" ? (fn as Fn) : typeof maybeFn === "function" ? maybeFn : undefined;
  addTest(name, f, f ? mode : "todo");
};
const suiteFactory = (mode: Suite["mode"]) => (name: string, fn?: Fn | object, maybeFn?: Fn | number) => {
  const f = typeof fn === "function" ? (fn as Fn) : typeof maybeFn === "function" ? maybeFn : undefined;
  addSuite(name, f, mode);
};

export const it = withVariants(testFactory, "test");
export const test = it;
export const describe = withVariants(suiteFactory, "suite");
export const suite = describe;

export function beforeAll(fn: Hook) {
  current.beforeAll.push(fn);
}
export function afterAll(fn: Hook) {
  current.afterAll.push(fn);
}
export function beforeEach(fn: Hook) {
  current.beforeEach.push(fn);
}
export function afterEach(fn: Hook) {
  current.afterEach.push(fn);
}

// ------------------------------------------------------------------ running

const counts = { passed: 0, failed: 0, skipped: 0 };

function report(status: "PASS" | "FAIL" | "SKIP", path: string[], detail?: string) {
  console.log(`${status} ${path.filter(Boolean).join(" > ")}${detail ? `\n     ${detail.replace(/\n/g, "\n     ")}` : ""}`);
}

function errorText(e: unknown, depth = 0): string {
  if (e instanceof Error) {
    const stack = typeof e.stack === "string" ? e.stack.trim() : "";
    const cause = (e as { cause?: unknown }).cause;
    const causeText = cause !== undefined && depth < 3 ? `\ncaused by ${errorText(cause, depth + 1)}` : "";
    return `${e.name}: ${e.message}${stack ? `\n${stack}` : ""}${causeText}`;
  }
  return `thrown: ${fmt(e)}`;
}

function hasOnly(s: Suite | TestCase): boolean {
  if (s.mode === "only") return true;
  return s.kind === "suite" && s.children.some(hasOnly);
}

function countSkipped(s: Suite | TestCase, path: string[]) {
  if (s.kind === "test") {
    counts.skipped++;
    report("SKIP", [...path, s.name]);
  } else for (const c of s.children) countSkipped(c, [...path, s.name]);
}

async function runSuite(s: Suite, path: string[], eachBefore: Hook[], eachAfter: Hook[], forced: boolean) {
  const here = [...path, s.name];
  const runnable = s.children.filter((c) => c.mode !== "skip" && c.mode !== "todo" && (!anyOnly || forced || hasOnly(c)));
  if (runnable.length === 0) {
    for (const c of s.children) countSkipped(c, here);
    return;
  }
  let setupError: unknown;
  let setupFailed = false;
  const teardowns: Hook[] = [];
  for (const h of s.beforeAll) {
    try {
      // like vitest, a hook may return its own teardown
      const r = await h();
      if (typeof r === "function") teardowns.unshift(r as Hook);
    } catch (e) {
      setupFailed = true;
      setupError = e;
      break;
    }
  }
  const before = [...eachBefore, ...s.beforeEach];
  const after = [...s.afterEach, ...eachAfter];
  for (const c of s.children) {
    const selected = runnable.includes(c);
    if (!selected) {
      countSkipped(c, here);
      continue;
    }
    if (c.kind === "suite") {
      if (setupFailed) failAll(c, here, setupError);
      else await runSuite(c, here, before, after, forced || c.mode === "only");
      continue;
    }
    if (setupFailed) {
      counts.failed++;
      report("FAIL", [...here, c.name], `beforeAll failed: ${errorText(setupError)}`);
      continue;
    }
    await runTest(c, here, before, after);
  }
  for (const h of [...s.afterAll, ...teardowns]) {
    try {
      await h();
    } catch (e) {
      counts.failed++;
      report("FAIL", [...here, "(afterAll)"], errorText(e));
    }
  }
}

function failAll(s: Suite | TestCase, path: string[], e: unknown) {
  if (s.kind === "test") {
    counts.failed++;
    report("FAIL", [...path, s.name], `beforeAll failed: ${errorText(e)}`);
  } else for (const c of s.children) failAll(c, [...path, s.name], e);
}

async function runTest(t: TestCase, path: string[], before: Hook[], after: Hook[]) {
  currentTestName = [...path, t.name].filter(Boolean).join(" > ");
  snapshotCounts = {};
  assertionCount = 0;
  expectedAssertions = undefined;
  expectHasAssertions = false;
  let error: unknown;
  let failed = false;
  const teardowns: Hook[] = [];
  try {
    for (const h of before) {
      const r = await h();
      if (typeof r === "function") teardowns.unshift(r as Hook);
    }
    await t.fn!();
    if (expectedAssertions !== undefined && assertionCount !== expectedAssertions) {
      throw new AssertionError(`expected ${expectedAssertions} assertions, ran ${assertionCount}`);
    }
    if (expectHasAssertions && assertionCount === 0) throw new AssertionError("expected at least one assertion");
  } catch (e) {
    failed = true;
    error = e;
  }
  for (const h of [...after, ...teardowns]) {
    try {
      await h();
    } catch (e) {
      if (!failed) {
        failed = true;
        error = e;
      }
    }
  }
  if (failed) {
    counts.failed++;
    report("FAIL", [...path, t.name], errorText(error));
  } else {
    counts.passed++;
    report("PASS", [...path, t.name]);
  }
}

/** Runs everything registered so far and prints the closing result line. */
export async function __run(): Promise<void> {
  try {
    await runSuite(rootSuite, [], [], [], false);
  } catch (e) {
    counts.failed++;
    report("FAIL", ["(runner)"], errorText(e));
  }
  console.log(`@@PXE-ENGINE ${JSON.stringify(counts)}`);
}
