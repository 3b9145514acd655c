// The amd64 trampoline's page tables (stand/i386/libi386/elf64_freebsd.c):
// three pages PML4, PDPT, PD. Every PML4 slot points at the one PDPT, every
// PDPT slot at the one PD, and the PD maps the first 1 GiB with 2 MiB pages.
// So every 1 GiB-aligned window of virtual memory, among them the identity
// window at 0 and KERNBASE's, shows physical 0 - 1 GiB.
import { putU64 } from "../wire/le.js";
import { PG } from "./constants.js";

/** Size of the three tables. */
export const PAGE_TABLES_SIZE = 3 * 4096;

/** The tables for a physical base `pml4` (4 KiB-aligned): PML4 at pml4, PDPT at +4 KiB, PD at +8 KiB. */
export function amd64PageTables(pml4: number): Uint8Array {
  const out = new Uint8Array(PAGE_TABLES_SIZE);
  const pdpt = pml4 + 0x1000;
  const pd = pml4 + 0x2000;
  for (let i = 0; i < 512; i++) {
    putU64(out, i * 8, pdpt + (PG.V | PG.RW));
    putU64(out, 0x1000 + i * 8, pd + (PG.V | PG.RW));
    putU64(out, 0x2000 + i * 8, i * 0x200000 + (PG.V | PG.RW | PG.PS));
  }
  return out;
}
