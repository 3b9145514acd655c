#!/usr/bin/env node
// Packs one @pxe package with every @pxe package it depends on (they are not
// on a registry yet) into a folder, and prints the `npm i` line that
// installs them together into another project.
//
//     npm run pack:with-deps -- @pxe/http ./pxe-tarballs
//     # -> builds and packs core, undi, ip, udp, sockets, tcp, http; prints
//     npm i /abs/path/pxe-tarballs/pxe-core-0.1.0.tgz ... /abs/path/pxe-tarballs/pxe-http-0.1.0.tgz
//
// Each package is built first (its "build" script: tsup), in dependency
// order. Exit 2 for bad arguments (unknown package), 1 when a build or pack
// fails. The last line of stdout is the npm i command.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const say = (m) => process.stderr.write(`[pack] ${m}\n`);

/** name -> { dir, json } for every workspace package. */
function workspace() {
  const out = new Map();
  for (const d of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", d, "package.json");
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, "utf8"));
    out.set(json.name, { dir: join(root, "packages", d), json });
  }
  return out;
}

/** `name` and its @pxe dependencies, dependencies first. */
export function closure(name, pkgs) {
  const order = [];
  const seen = new Set();
  const visit = (n, path) => {
    if (seen.has(n)) return;
    if (path.includes(n)) throw new Error(`dependency cycle: ${[...path, n].join(" -> ")}`);
    const p = pkgs.get(n);
    if (!p) throw new Error(`${n} is not a package of this repository (${[...pkgs.keys()].sort().join(", ")})`);
    for (const dep of Object.keys(p.json.dependencies ?? {})) if (dep.startsWith("@pxe/")) visit(dep, [...path, n]);
    seen.add(n);
    order.push(n);
  };
  visit(name, []);
  return order;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) {
    say(`${cmd} ${args.join(" ")} failed in ${relative(root, cwd) || "."} (exit ${r.status}):\n${(r.stdout ?? "") + (r.stderr ?? "")}`.trimEnd());
    process.exit(1);
  }
  return r.stdout;
}

function main(argv) {
  if (argv.length !== 2 || argv[0].startsWith("-")) {
    process.stderr.write("usage: node tools/pack/with-deps.mjs @pxe/NAME DIR   (npm run pack:with-deps -- @pxe/NAME DIR)\n");
    return 2;
  }
  const [name, dirArg] = argv;
  const pkgs = workspace();
  let order;
  try {
    order = closure(name.startsWith("@pxe/") ? name : `@pxe/${name}`, pkgs);
  } catch (e) {
    process.stderr.write(`[pack] ${e.message}\n`);
    return 2;
  }
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), dirArg);
  mkdirSync(dir, { recursive: true });
  say(`${order.join(", ")} -> ${dir}`);
  const tarballs = [];
  for (const n of order) {
    const p = pkgs.get(n);
    if (p.json.scripts?.build) run("npm", ["run", "-s", "build"], p.dir);
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], p.dir));
    tarballs.push(join(dir, packed[0].filename.replace(/^@/, "").replace("/", "-")));
  }
  // Absolute paths: the line is run in another project's directory.
  process.stdout.write(`npm i ${tarballs.join(" ")}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exit(main(process.argv.slice(2)));
