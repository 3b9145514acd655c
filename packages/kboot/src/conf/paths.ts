// Where FreeBSD's loader looks for the kernel and for modules, as paths in
// the served /boot tree (stand/lua/config.lua, stand/common/module.c).

/** What `kernel`, `bootfile` and `module_path` default to when no file sets them. */
export const PATH_DEFAULTS = { kernel: "kernel", bootfile: "kernel", modulePath: "/boot/modules" } as const;

/** A place where a file may be, and the directory that implies for module_path. */
export interface Candidate {
  /** Path in the tree, e.g. "/boot/kernel/kernel". */
  readonly path: string;
  /** Its directory, e.g. "/boot/kernel". */
  readonly dir: string;
}

/**
 * The paths tried for the kernel, in order: for `kernel="K"` and
 * `bootfile="B1;B2"`, /boot/K/B1, /boot/K/B2, /boot/K/kernel, then K/B1
 * ... (K as a directory of its own), then K itself as a file. Each path
 * is also tried with ".gz" appended, right after it (FreeBSD's gzipfs).
 * `kernel` given to `boot NAME` takes the place of K.
 */
export function kernelCandidates(env: { get(name: string): string | undefined }, kernelOverride?: string): Candidate[] {
  const kernel = kernelOverride ?? env.get("kernel") ?? PATH_DEFAULTS.kernel;
  const bootfiles = splitList(env.get("bootfile") ?? "");
  if (bootfiles.indexOf(PATH_DEFAULTS.bootfile) < 0) bootfiles.push(PATH_DEFAULTS.bootfile);
  const out: Candidate[] = [];
  const dirs = kernel.charAt(0) === "/" ? [kernel] : [`/boot/${kernel}`, kernel];
  for (const d of dirs) for (const b of bootfiles) push(out, joinPath(d, b));
  push(out, kernel);
  return withGz(out);
}

/**
 * module_path after a kernel was loaded from `kernelDir`: that directory
 * first, then what module_path said (default /boot/modules), `;`-separated.
 */
export function modulePathAfterKernel(modulePath: string | undefined, kernelDir: string): string {
  const rest = splitList(modulePath ?? PATH_DEFAULTS.modulePath).filter((d) => d !== kernelDir);
  return [kernelDir, ...rest].join(";");
}

/**
 * The paths tried for a module or file called `name`: a name with a `/`
 * is a path of its own; otherwise each module_path directory in turn.
 * Kernel modules (no `type`) are tried as NAME.ko first, then NAME;
 * typed files only as NAME. Each path is also tried with ".gz".
 */
export function moduleCandidates(name: string, modulePath: string | undefined, typed: boolean): Candidate[] {
  const names = typed || /\.ko$/.test(name) ? [name] : [`${name}.ko`, name];
  const out: Candidate[] = [];
  if (name.indexOf("/") >= 0) {
    for (const n of names) push(out, n.charAt(0) === "/" ? n : `/boot/${n}`);
  } else {
    for (const d of splitList(modulePath ?? PATH_DEFAULTS.modulePath)) for (const n of names) push(out, joinPath(d, n));
  }
  return withGz(out);
}

/** A `;`-separated list (module_path, bootfile) as its non-empty items. */
export function splitList(s: string): string[] {
  return s
    .split(";")
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

/** `dir` + "/" + `name` without doubled slashes. */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, "")}/${name.replace(/^\/+/, "")}`;
}

/** The directory part of a path ("/boot/kernel/kernel" -> "/boot/kernel"; "kernel" -> "/"). */
export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

function push(out: Candidate[], path: string): void {
  const p = path.charAt(0) === "/" ? path : `/${path}`;
  if (!out.some((c) => c.path === p)) out.push({ path: p, dir: dirName(p) });
}

function withGz(list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    out.push(c);
    if (!/\.gz$/.test(c.path)) out.push({ path: `${c.path}.gz`, dir: c.dir });
  }
  return out;
}
