import { displayUrl, resolveUrl, serializeUrl } from "@pxe/http";
import { dirName, kernelCandidates, kernelHandoff, moduleCandidates, modulePathAfterKernel, parseBootArgs, type ModuleEntry } from "@pxe/kboot";
import { tokenize } from "../tokenize.js";
import type { CommandContext } from "../types.js";
import { FileNotFoundError, LoaderCommandError, loaderStep, NoBooterError } from "./errors.js";
import { fetchFirst, type FetchedFile } from "./fetch-file.js";
import { bootOther, refuseOtherKernel } from "./other-kernel.js";
import type { LoadedEntry, LoaderState } from "./state.js";

/** What to load and how, for {@link loadOne}. */
export interface LoadRequest {
  /** Places to try, in order (paths or URLs). */
  readonly refs: readonly string[];
  /** What it is, for messages ("kernel", "module cd9660"). */
  readonly what: string;
  /** A raw file's type; absent: the kernel if none is loaded, else a module. */
  readonly type?: string;
  /** Arguments for the kernel. */
  readonly args?: string;
  /** Expected SHA-256 of the file as downloaded. */
  readonly sha256?: string;
}

/**
 * Loads one file (and, for a module, the modules it depends on), all or
 * nothing: when anything fails, what this call added is taken back and
 * the error (naming the URL) propagates.
 */
export async function loadOne(state: LoaderState, ctx: CommandContext, command: string, req: LoadRequest): Promise<LoadedEntry> {
  const mark = state.entries.length;
  try {
    const f = await fetchFirst(state, ctx, command, req.what, req.refs, req.sha256);
    const kind = req.type !== undefined ? "file" : state.fb.hasKernel ? "module" : "kernel";
    const entry = addFetched(state, command, f, kind, req);
    if (kind === "kernel" && state.base() && /^\/boot\//.test(entry.name)) {
      state.conf.env.set("module_path", modulePathAfterKernel(state.conf.get("module_path"), dirName(entry.name)));
    }
    if (kind === "module") await loadDependencies(state, ctx, command, entry);
    return entry;
  } catch (e) {
    state.truncate(mark);
    throw e;
  }
}

/** Loads the modules `fb.missingDependencies()` names, from the directory of `from` first, then module_path, until none is missing. */
async function loadDependencies(state: LoaderState, ctx: CommandContext, command: string, from: LoadedEntry): Promise<void> {
  const tried = new Set<string>();
  for (;;) {
    const missing = state.fb.missingDependencies().filter((d) => !tried.has(d.name));
    if (missing.length === 0) return;
    for (const d of missing) {
      tried.add(d.name);
      const here = serializeUrl(resolveUrl(from.source, `${d.name}.ko`));
      const refs = [here, `${here}.gz`];
      if (state.base()) for (const c of moduleCandidates(d.name, state.conf.get("module_path"), false)) refs.push(c.path);
      ctx.out.line(`${from.name} needs module ${d.name}`);
      const f = await fetchFirst(state, ctx, command, `module ${d.name} (a dependency of ${from.name})`, refs);
      addFetched(state, command, f, "module", { refs, what: d.name });
    }
  }
}

function addFetched(state: LoaderState, command: string, f: FetchedFile, kind: LoadedEntry["kind"], req: LoadRequest): LoadedEntry {
  const url = displayUrl(f.url);
  const entry: LoadedEntry = {
    kind,
    name: state.nameFor(f.url),
    data: f.data,
    url,
    source: f.url,
    ...(req.type !== undefined ? { type: req.type } : {}),
    ...(req.args !== undefined && req.args !== "" ? { args: req.args } : {}),
  };
  if (kind === "kernel") refuseOtherKernel(command, url, f.data);
  loaderStep(command, () => state.add(entry), `${url}: `);
  return entry;
}

/**
 * Loads what the configuration names, as FreeBSD's loader does before it
 * boots: the kernel (`kernel`, `bootfile`, or `kernelName`; `kernel_options`
 * its arguments; `kernel_sha256` its digest), then each module whose
 * `X_load` is YES with its `X_name`, `X_type`, `X_flags`, `X_sha256`,
 * running `X_before`/`X_after` around it and `X_error` when it fails;
 * names in `module_blacklist` are skipped, as FreeBSD 13's loader does, and
 * so is a typed file (`X_type`) that no server has (FreeBSD boots without it).
 */
export async function loadConfigured(state: LoaderState, ctx: CommandContext, command: string, kernelName?: string): Promise<void> {
  const conf = state.conf;
  const kernelSha = conf.modules.get("kernel")?.sha256;
  const opts = conf.get("kernel_options");
  await loadOne(state, ctx, command, {
    refs: kernelCandidates(conf, kernelName).map((c) => c.path),
    what: "kernel",
    ...(opts ? { args: opts } : {}),
    ...(kernelSha !== undefined ? { sha256: kernelSha } : {}),
  });
  const blacklist = (conf.get("module_blacklist") ?? "").split(/\s+/).filter((w) => w !== "");
  for (const m of conf.toLoad()) {
    if (m.key === "kernel") continue;
    if (blacklist.indexOf(m.name ?? m.key) >= 0) {
      ctx.out.line(`not loading ${m.name ?? m.key}: it is in module_blacklist`);
      continue;
    }
    await loadConfiguredModule(state, ctx, command, m);
  }
}

async function loadConfiguredModule(state: LoaderState, ctx: CommandContext, command: string, m: ModuleEntry): Promise<void> {
  const name = m.name ?? m.key;
  if (m.before) await runLine(ctx, m.before);
  try {
    await loadOne(state, ctx, command, {
      refs: moduleCandidates(name, state.conf.get("module_path"), m.type !== undefined).map((c) => c.path),
      what: `${m.type ?? "module"} ${name} (${m.origin.file}:${m.origin.line})`,
      ...(m.type !== undefined ? { type: m.type } : {}),
      ...(m.flags !== undefined ? { args: m.flags } : {}),
      ...(m.sha256 !== undefined ? { sha256: m.sha256 } : {}),
    });
  } catch (e) {
    if (m.error) await runLine(ctx, m.error);
    // FreeBSD's loader reports a configured file it cannot load and boots
    // without it. Here only a typed file that is nowhere to be found is
    // skipped so: the release defaults name /etc/hostid and /boot/entropy,
    // which a served /boot tree does not have. A module, or a file that is
    // there but wrong (checksum, format), still stops at the prompt.
    if (e instanceof FileNotFoundError && m.type !== undefined) {
      ctx.out.line(`${e.message}; skipped, as FreeBSD's loader boots without a missing ${m.type} file`);
      return;
    }
    throw e;
  }
  if (m.after) await runLine(ctx, m.after);
}

/** Runs a console command line (exec=, X_before, X_after, X_error) as if typed; its error propagates. */
export async function runLine(ctx: CommandContext, line: string): Promise<void> {
  const words = tokenize(line);
  if (words.length === 0) return;
  const cmd = ctx.registry.get(words[0]);
  if (!cmd) throw new LoaderCommandError("exec", `unknown command '${words[0]}' in '${line}'`);
  await cmd.run(words.slice(1), ctx);
}

/**
 * `boot`'s work: loads the configured kernel and modules when nothing is
 * loaded (or `kernel` was named), combines flags with the environment
 * (kernelHandoff), lays the image out against the platform's memory and
 * hands it to the Booter. Every failure leaves the loaded files as they
 * were, so `boot` can be tried again.
 */
export async function bootNow(state: LoaderState, ctx: CommandContext, args: readonly string[]): Promise<void> {
  if (state.other) return bootOther(state, state.other, ctx, args);
  const parsed = parseBootArgs(args);
  if (parsed.kernel !== undefined) {
    state.unloadAll();
    await loadConfigured(state, ctx, "boot", parsed.kernel);
  } else if (!state.fb.hasKernel) await loadConfigured(state, ctx, "boot");
  const kernel = state.entries[0];
  const kargs = kernel.args ? tokenize(kernel.args).filter((w) => w.charAt(0) === "-") : [];
  const handoff = kernelHandoff(Array.from(state.conf.env.entries()), parsed.howto | parseBootArgs(kargs).howto);
  const booter = state.opts.booter;
  const memory = state.bootMemory();
  const image = loaderStep("boot", () => state.fb.build({ howto: handoff.howto, env: handoff.kenv, e820: memory.e820, reserved: memory.reserved }));
  if (!booter) throw new NoBooterError();
  ctx.out.line(`booting ${kernel.name} (${image.arch}, ${state.entries.length} file${state.entries.length === 1 ? "" : "s"}, howto 0x${handoff.howto.toString(16)}) ...`);
  await booter(image);
}
