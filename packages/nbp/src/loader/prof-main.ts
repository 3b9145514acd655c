/**
 * Entry of the profiling loader (not the default): the default loader on a
 * host whose platform calls are timed, plus the `prof` command. Build with
 * `node packages/nbp/tools/build.mjs packages/nbp/src/loader/prof-main.ts -o OUT.0`.
 */
import { nbpHost } from "../host-api.js";
import { runHelloPxe } from "./hello-loader.js";
import { addProfileCommand, profiledHost } from "./profile.js";

const raw = nbpHost();
const { host, profile } = profiledHost(raw);
runHelloPxe(host, (registry) => addProfileCommand(registry, raw, profile)).then(
  () => raw.poweroff(),
  (e: unknown) => {
    raw.write(`\nloader failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    raw.poweroff();
  },
);
