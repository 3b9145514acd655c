import { SettingError } from "../errors.js";

/** Declaration of a known setting: its help text, default and validation. */
export interface SettingSpec {
  /** The key, e.g. "http.proxy". Letters, digits, '_', '.', '-'. */
  readonly key: string;
  /** One line shown by `show` and `help set`. */
  readonly summary?: string;
  /** Value before anyone sets it (omit: unset). */
  readonly default?: string;
  /** Checks and normalises a value: returns what to store, throws to reject. */
  readonly parse?: (value: string) => string;
}

/** Called after a setting changed; `value` is undefined when it was unset. */
export type SettingListener = (key: string, value: string | undefined) => void;

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The console's settings store: string keys to string values (like the
 * FreeBSD loader's environment). Keys may be declared with a summary,
 * default and validator; undeclared keys are allowed too.
 */
export class Settings {
  private readonly values = new Map<string, string>();
  private readonly specs = new Map<string, SettingSpec>();
  private readonly listeners: SettingListener[] = [];

  /** Declares a setting; applies its default unless a value is already set. */
  define(spec: SettingSpec): this {
    checkKey(spec.key);
    this.specs.set(spec.key, spec);
    if (spec.default !== undefined && !this.values.has(spec.key)) this.values.set(spec.key, spec.default);
    return this;
  }

  /** The declaration of `key`, if any. */
  spec(key: string): SettingSpec | undefined {
    return this.specs.get(key);
  }

  /** The value of `key`, or undefined when unset. */
  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** True when `key` has a value. */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** A numeric setting, or `fallback` when unset or not a number. */
  getNumber(key: string, fallback: number): number {
    const v = this.values.get(key);
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    return Number.isFinite(n) ? n : fallback;
  }

  /** A boolean setting ("1", "true", "yes", "on" are true), or `fallback` when unset. */
  getBoolean(key: string, fallback: boolean): boolean {
    const v = this.values.get(key);
    if (v === undefined) return fallback;
    return /^(1|true|yes|on)$/i.test(v.trim());
  }

  /** Sets `key`, running its validator; throws SettingError when rejected. */
  set(key: string, value: string): void {
    checkKey(key);
    const spec = this.specs.get(key);
    let v = value;
    if (spec && spec.parse) {
      try {
        v = spec.parse(value);
      } catch (e) {
        throw new SettingError(key, e instanceof Error ? e.message : String(e));
      }
    }
    this.values.set(key, v);
    for (const l of this.listeners) l(key, v);
  }

  /** Removes the value of `key`; returns whether it had one. */
  unset(key: string): boolean {
    const had = this.values.delete(key);
    if (had) for (const l of this.listeners) l(key, undefined);
    return had;
  }

  /** All set values, sorted by key. */
  entries(): Array<[string, string]> {
    return Array.from(this.values.entries()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** All declarations, sorted by key. */
  declared(): SettingSpec[] {
    return Array.from(this.specs.values()).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: SettingListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new SettingError(key, "a key is letters, digits, '_', '.' and '-', starting with a letter or '_'");
}
