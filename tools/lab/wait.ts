/** Polling waits for the lab (servers coming up, files appearing, output arriving). */

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits until `ready()` holds, checking every 50 ms. Throws `fail()`'s
 * message when `ms` have passed or `gaveUp()` says there is no point waiting
 * longer (e.g. the server already exited).
 */
export async function until(ready: () => boolean, ms: number, fail: () => string, gaveUp: () => boolean = () => false): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end || gaveUp()) throw new Error(fail());
    await sleep(50);
  }
}
