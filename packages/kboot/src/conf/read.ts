import { utf8 } from "@pxe/core";
import { LoaderConf } from "./config.js";
import { parseLoaderConf } from "./parse.js";

/** Where loader.conf files come from: a served FreeBSD tree (paths like "/boot/loader.conf"). */
export interface ConfSource {
  /** The file's bytes, or null when it does not exist (404); other failures reject. */
  read(path: string): Promise<Uint8Array | null>;
  /** Runs an `exec="command"` line when it is read (optional; without it exec lines are skipped). */
  exec?(command: string, origin: { file: string; line: number }): Promise<void> | void;
  /** Told about each file as it is read (`found` false: it does not exist). */
  onFile?(path: string, found: boolean): void;
}

/** The defaults file, read first when it exists. */
export const DEFAULTS_CONF = "/boot/defaults/loader.conf";

/**
 * What `loader_conf_files` and `local_loader_conf_files` are when the tree
 * has no defaults file: FreeBSD's own defaults (device.hints, loader.conf,
 * then loader.conf.local).
 */
export const FALLBACK_CONF_FILES = "/boot/device.hints /boot/loader.conf";
/** See {@link FALLBACK_CONF_FILES}. */
export const FALLBACK_LOCAL_CONF_FILES = "/boot/loader.conf.local";

/** Variables that steer reading and never reach the kernel (FreeBSD keeps loader_conf_files out of kenv). */
export const LOADER_ONLY_VARS: readonly string[] = ["loader_conf_files"];

/**
 * Reads loader.conf files in FreeBSD's order (stand/lua/config.lua):
 * `/boot/defaults/loader.conf` when present, then each file its
 * `loader_conf_files` names (device.hints, loader.conf; each file may name
 * more, and each is read once), then `local_loader_conf_files`
 * (loader.conf.local). Without a defaults file the same list is used.
 * Missing files are skipped; a bad line throws LoaderConfError naming the
 * file and line. `conf` may already hold variables (they are overridden).
 */
export async function readLoaderConf(source: ConfSource, conf: LoaderConf = new LoaderConf()): Promise<LoaderConf> {
  const seen = new Set<string>();
  const hadDefaults = await readConf(source, conf, DEFAULTS_CONF, seen);
  if (!hadDefaults) {
    for (const name of words(FALLBACK_CONF_FILES)) await readConf(source, conf, name, seen);
  }
  const local = conf.get("local_loader_conf_files") ?? (hadDefaults ? undefined : FALLBACK_LOCAL_CONF_FILES);
  if (local !== undefined) for (const name of words(local)) await readConf(source, conf, name, seen);
  return conf;
}

/**
 * Reads one file the way FreeBSD's readConf does: `loader_conf_files` is
 * cleared, the file applied, then every file the new `loader_conf_files`
 * names is read in turn (each file at most once). Returns whether it existed.
 */
export async function readConf(source: ConfSource, conf: LoaderConf, path: string, seen: Set<string> = new Set()): Promise<boolean> {
  if (seen.has(path)) return true;
  seen.add(path);
  const bytes = await source.read(path);
  source.onFile?.(path, bytes !== null);
  if (bytes === null) return false;
  const statements = parseLoaderConf(utf8(bytes), path);
  conf.env.delete("loader_conf_files");
  for (const st of statements) {
    if (st.kind === "exec") {
      if (source.exec) await source.exec(st.command, { file: path, line: st.line });
    } else conf.apply(st, path);
  }
  const more = conf.get("loader_conf_files");
  if (more !== undefined) for (const name of words(more)) await readConf(source, conf, name, seen);
  return true;
}

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== "");
}
