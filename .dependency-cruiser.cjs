// Layering rules of the @pxe packages, checked by `npm test` (step "deps"):
//
//   npx depcruise packages --config .dependency-cruiser.cjs
//
// 1. Dependencies point one way. Each package may import only the packages
//    listed for it in ALLOWED below (all of them lower in the stack):
//      core <- undi <- ip <- udp, tcp <- sockets <- dhcp, dns, http <- httpfs <- kboot
//    telnet sits beside httpfs; console above kboot (its loader commands) and
//    telnet; nbp at the top.
//    A package missing from ALLOWED may import any package, but no listed
//    package may import it: add it here when it lands.
//    This holds for the published code (src/). Tests (test/) may import any
//    package through its public entries, e.g. an @pxe/ip network test that
//    drives IP through @pxe/sockets.
// 2. No cycles, between packages or between files.
// 3. Core code uses no Node built-ins. Core code is packages/*/src/** except
//    src/node.ts, src/node/** and packages/nbp/src/cli/**; it also may not
//    import those Node-only files (nor "@pxe/x/node").
// 4. Packages meet only at their entry points: "@pxe/x", "@pxe/x/testing",
//    "@pxe/x/node" (src/index.ts, src/testing.ts, src/node.ts). Relative
//    imports into another package and deep imports are errors.
//
// "@pxe/x" imports resolve to packages/x/src through the paths of
// tsconfig.node.json (the same aliases vitest uses), so nothing needs building.
// tools/test/depcruise.test.ts proves that each rule fires.

/** For each package, the packages it may import. */
const ALLOWED = {
  core: [],
  undi: ["core"],
  ip: ["core", "undi"],
  udp: ["core", "undi", "ip"],
  tcp: ["core", "undi", "ip"],
  sockets: ["core", "undi", "ip", "udp", "tcp"],
  dhcp: ["core", "undi", "ip", "udp", "tcp", "sockets"],
  dns: ["core", "undi", "ip", "udp", "tcp", "sockets"],
  // An HTTP client resolves names: http may use dns (never the reverse).
  http: ["core", "undi", "ip", "udp", "tcp", "sockets", "dns"],
  httpfs: ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http"],
  kboot: ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http", "httpfs"],
  // The console's `telnet` command uses @pxe/telnet, which needs only http's ByteStream.
  console: ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http", "httpfs", "kboot", "telnet"],
  telnet: ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http"],
  nbp: ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http", "httpfs", "kboot", "console", "telnet"],
};

const NODE_ONLY = "^packages/[^/]+/src/(node\\.ts$|node/)|^packages/nbp/src/cli/";
const ENTRY = "^packages/([^/]+)/src/(index|testing|node)\\.ts$";

const layering = Object.entries(ALLOWED).map(([pkg, allowed]) => ({
  name: `layering-${pkg}`,
  comment: `@pxe/${pkg} may import only ${allowed.length ? allowed.map((a) => `@pxe/${a}`).join(", ") : "no other @pxe package"} (dependencies point down the stack)`,
  severity: "error",
  from: { path: `^packages/${pkg}/src/` },
  to: { path: "^packages/([^/]+)/", pathNot: `^packages/(${[pkg, ...allowed].join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...layering,
    {
      name: "no-circular",
      comment: "Cycles tie packages (or modules) into one: break the cycle.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-node-builtins-in-core",
      comment: "Core code runs inside the NBP's engine: no Node built-ins (node:*, fs, net, buffer...). Put Node-only code in src/node.ts or src/node/.",
      severity: "error",
      from: { path: "^packages/[^/]+/src/", pathNot: NODE_ONLY },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "no-node-entry-from-core",
      comment: "Core code may not import Node-only modules (src/node.ts, src/node/**, @pxe/x/node).",
      severity: "error",
      from: { path: "^packages/[^/]+/src/", pathNot: NODE_ONLY },
      to: { path: NODE_ONLY },
    },
    {
      name: "no-relative-import-across-packages",
      comment: 'Import another package by its name ("@pxe/x"), never by a relative path.',
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: { path: "^packages/([^/]+)/", pathNot: "^packages/$1/", dependencyTypes: ["local"], dependencyTypesNot: ["aliased"] },
    },
    {
      name: "no-package-internals",
      comment: 'Another package is reachable only through "@pxe/x", "@pxe/x/testing" or "@pxe/x/node".',
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: { path: "^packages/([^/]+)/", pathNot: ["^packages/$1/", ENTRY] },
    },
    {
      name: "no-unresolvable-pxe",
      comment: 'An "@pxe/..." import that resolves to nothing: a package or subpath that does not exist (only ".", "./testing", "./node").',
      severity: "error",
      from: {},
      to: { couldNotResolve: true, path: "^@pxe/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Build output, caches and other dot-folders (e.g. fetched engine sources) are not ours.
    exclude: { path: "(^|/)(node_modules|dist|build|\\.[^/]+)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.node.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
