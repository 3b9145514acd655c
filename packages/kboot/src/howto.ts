// How FreeBSD's loader spells boothowto bits (the RB_* values themselves
// live in freebsd/constants.ts): `boot -X` letters and `boot_*` variables.
import { RB } from "./freebsd/constants.js";

/**
 * Which letter of `boot -X` sets which bit, as FreeBSD's boot_howto_names
 * (sys/kern/subr_boot.c) pairs them. `-c` (RB_CONFIG, the old userconfig)
 * is accepted and sets nothing, as in FreeBSD 13.
 */
export const HOWTO_LETTERS: Readonly<Record<string, number>> = {
  a: RB.ASKNAME,
  C: RB.CDROM,
  c: 0,
  d: RB.KDB,
  D: RB.MULTIPLE,
  g: RB.GDB,
  h: RB.SERIAL,
  m: RB.MUTE,
  p: RB.PAUSE,
  r: RB.DFLTROOT,
  s: RB.SINGLE,
  v: RB.VERBOSE,
};

/**
 * loader environment variables that set a boothowto bit when present (any
 * value), as FreeBSD's boot_env_to_howto does: boot_single="YES" is -s.
 */
export const HOWTO_ENV: ReadonlyArray<readonly [name: string, bit: number]> = [
  ["boot_askname", RB.ASKNAME],
  ["boot_cdrom", RB.CDROM],
  ["boot_ddb", RB.KDB],
  ["boot_dfltroot", RB.DFLTROOT],
  ["boot_gdb", RB.GDB],
  ["boot_multicons", RB.MULTIPLE],
  ["boot_mute", RB.MUTE],
  ["boot_pause", RB.PAUSE],
  ["boot_serial", RB.SERIAL],
  ["boot_single", RB.SINGLE],
  ["boot_verbose", RB.VERBOSE],
];
