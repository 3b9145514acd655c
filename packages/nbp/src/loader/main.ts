/**
 * Entry of the default pxehttp.0 loader: Hello PXE on the platform's `nbp`
 * host; powers off when the console ends.
 */
import { nbpHost } from "../host-api.js";
import { runHelloPxe } from "./hello-loader.js";

const host = nbpHost();
runHelloPxe(host).then(
  () => host.poweroff(),
  (e: unknown) => {
    host.write(`\nloader failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    host.poweroff();
  },
);
