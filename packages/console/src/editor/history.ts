/**
 * Bounded command history: the newest `limit` submitted lines, oldest
 * first. Blank lines and a repeat of the newest entry are not stored.
 */
export class History {
  private readonly items: string[] = [];
  /** Largest number of entries kept. */
  readonly limit: number;

  constructor(limit = 100) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  /** Records a submitted line (unless blank or equal to the newest entry). */
  add(line: string): void {
    if (line.trim() === "") return;
    if (this.items.length > 0 && this.items[this.items.length - 1] === line) return;
    this.items.push(line);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
  }

  /** Number of entries. */
  get length(): number {
    return this.items.length;
  }

  /** Entry `i` (0 = oldest), or undefined. */
  at(i: number): string | undefined {
    return i >= 0 && i < this.items.length ? this.items[i] : undefined;
  }

  /** A copy of all entries, oldest first. */
  entries(): string[] {
    return this.items.slice();
  }

  /** Forgets everything. */
  clear(): void {
    this.items.length = 0;
  }
}
