/**
 * The `read()` of a stream whose data arrives by callback (a Node socket,
 * an in-memory pipe), built on its synchronous `readNow`: `read()` resolves
 * with the first answer `readNow` gives (anything but undefined) and
 * rejects with what `readNow` throws; while `readNow` has nothing, the read
 * waits until the owner calls `wake()` (data, end, error or close arrived)
 * and then looks again. One read at a time, as ByteStream says.
 */
export class WakeableRead<T> {
  private waiter: (() => void) | null = null;

  /** A reader over `readNow` (undefined: nothing yet). */
  constructor(private readonly readNow: () => T | undefined) {}

  /** The next answer of `readNow`, looking again at every `wake()` until there is one. */
  read(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        let r: T | undefined;
        try {
          r = this.readNow();
        } catch (e) {
          return reject(e);
        }
        if (r !== undefined) return resolve(r);
        this.waiter = attempt;
      };
      attempt();
    });
  }

  /** Lets a waiting read look again; nothing when no read waits. */
  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }
}
