// The engine's vitest stand-in (tools/engine/vitest-shim.ts) must agree with
// vitest: this file runs under both (vitest's "unit" project, and QuickJS via
// tools/engine/run.mjs), so a matcher that passes or fails differently breaks
// one of the two runs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } from "vitest";

class Custom extends Error {
  constructor(readonly code: number) {
    super(`custom ${code}`);
    this.name = "Custom";
  }
}

/** Asserts that the assertion inside `f` fails. */
function fails(f: () => void) {
  let failed = false;
  try {
    f();
  } catch {
    failed = true;
  }
  if (!failed) throw new Error("expected the assertion to fail, it passed");
}

describe("equality", () => {
  it("toBe uses Object.is", () => {
    expect(1).toBe(1);
    expect(NaN).toBe(NaN);
    fails(() => expect(0).toBe(-0));
    fails(() => expect({}).toBe({}));
    expect(1).not.toBe(2);
  });

  it("toEqual compares deeply, typed arrays by content, ignoring undefined properties", () => {
    expect({ a: [1, { b: 2 }], c: undefined }).toEqual({ a: [1, { b: 2 }] });
    expect(new Uint8Array([1, 2, 3])).toEqual(new Uint8Array([1, 2, 3]));
    fails(() => expect(new Uint8Array([1, 2, 3])).toEqual(new Uint8Array([1, 2, 4])));
    fails(() => expect(new Uint8Array([1, 2])).toEqual(new Uint16Array([1, 2])));
    expect(new Map([["k", [1]]])).toEqual(new Map([["k", [1]]]));
    expect(new Set([1, 2])).toEqual(new Set([2, 1]));
    expect([1n, 2n]).toEqual([1n, 2n]);
    fails(() => expect([1, 2]).toEqual([1, 2, 3]));
    expect({ a: 1 }).not.toEqual({ a: 2 });
  });

  it("toStrictEqual also checks undefined properties and classes", () => {
    class P {
      constructor(public x: number) {}
    }
    expect(new P(1)).toStrictEqual(new P(1));
    fails(() => expect(new P(1)).toStrictEqual({ x: 1 }));
    fails(() => expect({ a: 1, b: undefined }).toStrictEqual({ a: 1 }));
  });

  it("toMatchObject checks a subset, recursively", () => {
    expect({ type: "ok", n: 3, deep: { x: 1, y: 2 } }).toMatchObject({ type: "ok", deep: { y: 2 } });
    fails(() => expect({ type: "ok" }).toMatchObject({ type: "no" }));
    fails(() => expect({ type: "ok" }).toMatchObject({ other: 1 }));
  });

  it("asymmetric matchers", () => {
    expect({ n: 5, s: "abc", e: new Custom(1) }).toEqual({
      n: expect.any(Number),
      s: expect.stringContaining("b"),
      e: expect.any(Custom),
    });
    expect([1, 2, 3]).toEqual(expect.arrayContaining([3, 1]));
    expect({ a: 1, b: 2 }).toEqual(expect.objectContaining({ b: 2 }));
    expect("hello").toEqual(expect.stringMatching(/^h.*o$/));
    fails(() => expect({ n: "5" }).toEqual({ n: expect.any(Number) }));
  });
});

describe("numbers, strings and collections", () => {
  it("comparisons", () => {
    expect(2).toBeGreaterThan(1);
    expect(2).toBeGreaterThanOrEqual(2);
    expect(1).toBeLessThan(2);
    expect(2).toBeLessThanOrEqual(2);
    expect(0.1 + 0.2).toBeCloseTo(0.3, 10);
    fails(() => expect(1).toBeGreaterThan(1));
    fails(() => expect(0.31).toBeCloseTo(0.3));
  });

  it("definedness and truthiness", () => {
    expect(0).toBeDefined();
    expect(undefined).toBeUndefined();
    expect(null).toBeNull();
    expect("x").toBeTruthy();
    expect("").toBeFalsy();
    expect(NaN).toBeNaN();
    fails(() => expect(undefined).toBeDefined());
    fails(() => expect(1).toBeFalsy());
  });

  it("toContain, toHaveLength, toMatch, toHaveProperty", () => {
    expect([1, 2, 3]).toContain(2);
    expect("abc").toContain("bc");
    expect(new Uint8Array([7, 8])).toContain(8);
    expect([{ a: 1 }]).toContainEqual({ a: 1 });
    expect([1, 2]).toHaveLength(2);
    expect("abc").toMatch(/b/);
    expect("abc").toMatch("c");
    expect({ a: { b: 1 } }).toHaveProperty("a.b", 1);
    fails(() => expect([1]).toContain(2));
    fails(() => expect("abc").toMatch(/z/));
    fails(() => expect({ a: 1 }).toHaveProperty("b"));
  });

  it("toBeInstanceOf", () => {
    expect(new Custom(1)).toBeInstanceOf(Error);
    expect(new Custom(1)).toBeInstanceOf(Custom);
    fails(() => expect(new Error("x")).toBeInstanceOf(Custom));
  });
});

describe("throwing", () => {
  const boom = () => {
    throw new Custom(7);
  };

  it("toThrow with a class, a message part, a RegExp or nothing", () => {
    expect(boom).toThrow();
    expect(boom).toThrow(Custom);
    expect(boom).toThrow("custom 7");
    expect(boom).toThrow(/custom \d/);
    expect(boom).toThrowError(Error);
    expect(() => 1).not.toThrow();
    fails(() => expect(() => 1).toThrow());
    fails(() => expect(boom).toThrow(TypeError));
    fails(() => expect(boom).toThrow("other"));
    fails(() => expect(boom).not.toThrow());
  });

  it("resolves and rejects", async () => {
    await expect(Promise.resolve(3)).resolves.toBe(3);
    await expect(Promise.reject(new Custom(2))).rejects.toThrow(Custom);
    await expect(Promise.reject(new Custom(2))).rejects.toBeInstanceOf(Custom);
    let failed = false;
    await expect(Promise.resolve(1))
      .rejects.toThrow()
      .catch(() => {
        failed = true;
      });
    expect(failed).toBe(true);
  });
});

describe("hooks run in order", () => {
  const log: string[] = [];
  beforeAll(() => {
    log.push("beforeAll");
  });
  beforeEach(() => {
    log.push("beforeEach");
  });
  afterEach(() => {
    log.push("afterEach");
  });
  afterAll(() => {
    expect(log).toEqual(["beforeAll", "beforeEach", "first", "afterEach", "beforeEach", "second", "afterEach"]);
  });
  it("first", () => {
    log.push("first");
  });
  it("second", async () => {
    await Promise.resolve();
    log.push("second");
  });
});

describe("hooks may return their teardown", () => {
  const log: string[] = [];
  beforeAll(() => () => {
    log.push("teardown all");
    expect(log).toEqual(["test", "teardown each", "teardown all"]);
  });
  beforeEach(() => () => {
    log.push("teardown each");
  });
  it("runs", () => {
    log.push("test");
  });
});

describe("each and skip", () => {
  it.each([
    [1, 1, 2],
    [2, 3, 5],
  ])("%i + %i = %i", (a, b, sum) => {
    expect(a + b).toBe(sum);
  });

  test.each([{ n: 4, root: 2 }])("sqrt($n) = $root", ({ n, root }) => {
    expect(Math.sqrt(n)).toBe(root);
  });

  it.skip("is skipped", () => {
    throw new Error("a skipped test ran");
  });
});

describe("snapshots", () => {
  it("compares with the snapshot vitest stored", () => {
    expect("a table\n  1  2\n  3  4\n").toMatchSnapshot();
    expect(42).toMatchSnapshot();
  });
});
