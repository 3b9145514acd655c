// Network test (root): `pxe --tap IF --dhcp` on a TAP that does not exist
// yet, inside a namespace this test makes: the CLI creates the TAP and says
// at once that it is new and attached to nothing, instead of waiting for
// DHCP to time out without a word. Needs Debian socat and iproute2.
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { LabNetns } from "../../../tools/lab/lab.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
let lab: LabNetns | undefined;
afterAll(async () => {
  await lab?.close();
});

it("a new TAP: pxe says at once that it created it and that it is attached to nothing", async () => {
  const l = (lab = await LabNetns.create({ name: "newtap", subnet: "10.215.19" }));
  const start = Date.now();
  const { proc } = l.spawn("console", `${root}node_modules/.bin/tsx`, ["--tsconfig", "tsconfig.node.json", "packages/console/src/node/cli.ts", "--tap", l.ifname, "--dhcp"], { cwd: root, pipe: true });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (b) => (out += String(b)));
  proc.stderr!.on("data", (b) => (err += String(b)));
  const notice = new RegExp(`pxe: ${l.ifname} did not exist: created it as a new TAP device, attached to nothing`);
  while (!notice.test(err) && Date.now() - start < 25_000 && proc.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  expect(err, `stderr:\n${err}\nstdout:\n${out}`).toMatch(notice);
  expect(err).toMatch(/ip link set \S+ master BRIDGE up +\(see pxe --help\)/);
  // Said before the DHCP attempt gives up (30 s): the console has not even started.
  expect(out).not.toMatch(/pxehttp> /);
  proc.kill("SIGKILL");
}, 120_000);
