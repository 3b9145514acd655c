/**
 * Real-mode memory for the simulated firmware: 1 MiB of bytes, bounds
 * checked, with a bump allocator for conventional memory (allocLow).
 */
export class RealModeMemory {
  /** The bytes, linear addresses 0..0xFFFFF. */
  readonly bytes = new Uint8Array(0x100000);
  private next: number;

  /** Allocations are served from [lowStart, lowEnd), 16-byte aligned. */
  constructor(lowStart = 0x10000, private readonly lowEnd = 0x90000) {
    this.next = lowStart;
  }

  /** Copies `length` bytes at `address`; RangeError outside 1 MiB. */
  read(address: number, length: number): Uint8Array {
    this.check(address, length);
    return this.bytes.slice(address, address + length);
  }

  /** Writes `data` at `address`; RangeError outside 1 MiB. */
  write(address: number, data: Uint8Array): void {
    this.check(address, data.length);
    this.bytes.set(data, address);
  }

  /** Allocates `size` bytes below 640 KiB, 16-byte aligned; RangeError when exhausted. */
  allocLow(size: number): number {
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`allocLow(${size})`);
    const at = this.next;
    const end = (at + size + 15) & ~15;
    if (end > this.lowEnd) throw new RangeError(`allocLow(${size}): conventional memory exhausted`);
    this.next = end;
    return at;
  }

  /** Bytes still available to allocLow. */
  get lowFree(): number {
    return this.lowEnd - this.next;
  }

  private check(address: number, length: number): void {
    if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 || address + length > this.bytes.length) {
      throw new RangeError(`real-mode access 0x${address.toString(16)}+${length} outside 1 MiB`);
    }
  }
}
