// The hand-off's word layout: defined once in src/handoff-layout.ts, equal
// to platform/nbp.h's structs and to the offsets stub.asm's trampoline uses;
// and platform/boot.c's checks of a copy list (built for the host, gcc -m32).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { COPY_WORDS, CopyWord, ENTRY_WORDS, EntryKind, EntryWord } from "../src/handoff-layout.js";
import { hostProgram } from "./host-c.js";

const exe = hostProgram("handoff-layout.c", "boot.c", ["-O1"]);
const run = (args: string[] = []): string => execFileSync(exe, args, { encoding: "utf8" }).trim();

describe("nbp.boot word layout", () => {
  test("TypeScript words = platform/nbp.h struct boot_copy / boot_entry", () => {
    const c = JSON.parse(run()) as Record<string, Record<string, number> | number>;
    expect(c.copy).toEqual({ dest: CopyWord.dest, src: CopyWord.src, len: CopyWord.len, zero: CopyWord.zero, size: COPY_WORDS });
    expect(c.entry).toEqual({
      kind: EntryWord.kind, ip_lo: EntryWord.ipLo, ip_hi: EntryWord.ipHi, esp: EntryWord.esp, cr3: EntryWord.cr3,
      eax: EntryWord.eax, ebx: EntryWord.ebx, ecx: EntryWord.ecx, edx: EntryWord.edx, esi: EntryWord.esi,
      edi: EntryWord.edi, ebp: EntryWord.ebp, size: ENTRY_WORDS,
    });
    expect([c.BOOT_COPY_WORDS, c.BOOT_ENTRY_WORDS, c.BOOT_PROTECTED32, c.BOOT_LONG64]).toEqual([COPY_WORDS, ENTRY_WORDS, EntryKind.protected32, EntryKind.long64]);
  });

  test("stub.asm's trampoline reads the entry block at the same offsets", () => {
    const asm = readFileSync(join(__dirname, "..", "platform", "stub.asm"), "utf8");
    const tramp = asm.slice(asm.indexOf("boot_tramp:"), asm.indexOf("boot_gdt:"));
    const loads = [...tramp.matchAll(/mov\s+(e[a-z]{2}),\s*\[(?:abs )?boot_regs\+(\d+)\](?!\s+mov\s+cr3)/g)];
    // Both entry paths (32- and 64-bit) load the same seven registers and ESP.
    expect(loads.length).toBe(16);
    for (const [, reg, off] of loads) expect(Number(off) / 4).toBe(EntryWord[reg.slice(1) === "sp" ? "esp" : (reg as keyof typeof EntryWord)]);
    expect(tramp).toMatch(new RegExp(`cmp\\s+dword \\[boot_regs\\], ${EntryKind.long64}`));
    expect(tramp).toMatch(new RegExp(`jmp\\s+\\[boot_regs\\+${EntryWord.ipLo * 4}\\]`));
    expect(tramp).toMatch(new RegExp(`jmp\\s+\\[abs boot_regs\\+${EntryWord.ipLo * 4}\\]`));
    expect(tramp).toMatch(new RegExp(`mov\\s+eax, \\[boot_regs\\+${EntryWord.cr3 * 4}\\]\\s+mov\\s+cr3, eax`));
  });
});

describe("platform/boot.c boot_check", () => {
  const MiB = 0x100000;
  const hex = (n: number): string => "0x" + n.toString(16);
  const check = (entry: number[], ...copies: number[][]): string => run([...entry, ...copies.flat()].map(hex));
  const p32 = [1, 0x200000, 0, 0];
  test("accepts disjoint pieces above 1 MiB staged elsewhere", () => {
    expect(check(p32, [2 * MiB, 64 * MiB, 4096, 100], [3 * MiB, 65 * MiB, 10, 0])).toBe("ok");
    expect(check([2, 0x200000, 0xffffffff, 0x9000], [2 * MiB, 64 * MiB, 4096, 0])).toBe("ok");
  });
  test("refuses what would break the copy or the entry", () => {
    expect(check([3, 0, 0, 0])).toMatch(/entry kind/);
    expect(check([1, 0, 1, 0])).toMatch(/below 4 GiB/);
    expect(check([2, 0, 0, 0x1234])).toMatch(/page-aligned/);
    expect(check(p32, [0x90000, 64 * MiB, 16, 0])).toMatch(/below 1 MiB/);
    expect(check(p32, [2 * MiB, 64 * MiB, 4096, 0], [2 * MiB + 4000, 65 * MiB, 16, 0])).toMatch(/destinations overlap/);
    expect(check(p32, [2 * MiB, 64 * MiB, 4096, 0], [3 * MiB, 2 * MiB + 8, 16, 0])).toMatch(/source of its own or a later/);
    expect(check(p32, [2 * MiB, 64 * MiB, 4096, 4096], [3 * MiB, 2 * MiB + 5000, 16, 0])).toMatch(/source/); // the zero fill counts
    expect(check(p32, [0xfffff000, 64 * MiB, 0x2000, 0])).toMatch(/beyond 4 GiB/);
  });
});
