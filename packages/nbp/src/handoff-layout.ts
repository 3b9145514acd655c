/**
 * The word layout of `nbp.boot(copies, entry)`, defined once here; the C
 * side (platform/nbp.h `struct boot_copy`, `struct boot_entry`, and the
 * offsets stub.asm's boot_tramp uses) is checked equal by
 * test/handoff-layout.test.ts.
 */

/** u32 words per copy: [dest, src, len, zero]. */
export const COPY_WORDS = 4;
/** Index of each word within one copy. */
export const CopyWord = { dest: 0, src: 1, len: 2, zero: 3 } as const;

/** u32 words of the entry block. */
export const ENTRY_WORDS = 12;
/** Index of each word of the entry block. */
export const EntryWord = {
  kind: 0, ipLo: 1, ipHi: 2, esp: 3, cr3: 4, eax: 5, ebx: 6, ecx: 7, edx: 8, esi: 9, edi: 10, ebp: 11,
} as const;

/** Values of EntryWord.kind. */
export const EntryKind = {
  /** 32-bit flat protected mode, paging off: CS 0x10, data 0x18. */
  protected32: 1,
  /** Long mode: PAE, CR3, EFER.LME, paging; 64-bit CS 0x08. */
  long64: 2,
} as const;

/** Selectors of the trampoline's own GDT (stub.asm boot_gdt). */
export const BootSelector = { code64: 0x08, code32: 0x10, data32: 0x18 } as const;
