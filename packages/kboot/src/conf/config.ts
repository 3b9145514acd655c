import type { ConfStatement, ModuleField } from "./parse.js";

/** Where a setting came from, for messages. */
export interface ConfOrigin {
  /** The file, as the loader named it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/** A module (or typed file) that loader.conf describes with `X_load`, `X_name`, ... */
export interface ModuleEntry {
  /** X of `X_load`. */
  readonly key: string;
  /** `X_load` was "YES" (any case). */
  load: boolean;
  /** `X_name`: the file to load (default: X). */
  name?: string;
  /** `X_type`: e.g. "md_image", "mfs_root" (default: a kernel module). */
  type?: string;
  /** `X_flags`: the module's arguments. */
  flags?: string;
  /** `X_before`: a command run before loading. */
  before?: string;
  /** `X_after`: a command run after loading. */
  after?: string;
  /** `X_error`: a command run when loading failed. */
  error?: string;
  /** `X_sha256`: the file's expected SHA-256 (hex). */
  sha256?: string;
  /** Where it was first mentioned. */
  readonly origin: ConfOrigin;
}

/**
 * What a set of loader.conf files said, in the loader's terms: the
 * environment (in the order first set; a later file overrides a value),
 * the modules (in the order first mentioned) and nothing else. `exec`
 * lines are run while reading, not stored.
 */
export class LoaderConf {
  /** Variables, as `name="value"` set them. */
  readonly env = new Map<string, string>();
  /** Module entries by X. */
  readonly modules = new Map<string, ModuleEntry>();

  /** A variable's value. */
  get(name: string): string | undefined {
    return this.env.get(name);
  }

  /** Applies one statement from `file` (exec lines are the reader's business and ignored here). */
  apply(st: ConfStatement, file: string): void {
    if (st.kind === "env") this.env.set(st.name, st.value);
    else if (st.kind === "module") this.setModule(st.module, st.field, st.value, { file, line: st.line });
  }

  /** The modules whose `X_load` is YES, in the order first mentioned. */
  toLoad(): ModuleEntry[] {
    const out: ModuleEntry[] = [];
    this.modules.forEach((m) => {
      if (m.load) out.push(m);
    });
    return out;
  }

  private setModule(key: string, field: ModuleField, value: string, origin: ConfOrigin): void {
    let m = this.modules.get(key);
    if (!m) {
      m = { key, load: false, origin };
      this.modules.set(key, m);
    }
    if (field === "load") m.load = value.toUpperCase() === "YES";
    else m[field] = value;
  }
}
