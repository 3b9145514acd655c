/** Throws an Error with `message` unless `cond` holds (test helper). */
export function expect(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
