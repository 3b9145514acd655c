// Telnet servers for the network tests, started inside a lab namespace:
// busybox telnetd (Debian busybox-static) and inetutils-telnetd under
// inetutils-inetd. Neither asks for a password: the "login program" is a
// script that prints who the client said it is (NEW-ENVIRON USER, via
// inetutils' %U) and starts a shell.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import type { LabNetns, Server } from "./lab-netns.js";

/** True when busybox has the telnetd applet (busybox-static does; Debian's plain busybox does not). */
export function hasBusyboxTelnetd(): boolean {
  const r = spawnSync("busybox", ["telnetd", "--help"], { encoding: "utf8" });
  return !r.error && `${r.stdout}${r.stderr}`.includes("Handle incoming telnet");
}

/** True when inetutils-telnetd and inetutils-inetd are installed. */
export function hasInetutilsTelnetd(): boolean {
  return existsSync("/usr/sbin/telnetd") && existsSync("/usr/sbin/inetutils-inetd");
}

/** Writes the login script: greets `USER` (first argument) and execs an interactive sh. */
function loginScript(lab: LabNetns): string {
  const p = lab.writeConfig("telnet-login.sh", `#!/bin/sh\necho "pxe-login user=[$1]"\nexport PS1='pxe$ '\nexec /bin/sh -i\n`);
  chmodSync(p, 0o755);
  return p;
}

/** busybox telnetd in the foreground on `port` of `address` (default the lab's server address), running the login script. */
export async function startBusyboxTelnetd(lab: LabNetns, port: number, address = lab.serverIp): Promise<Server> {
  const login = loginScript(lab);
  const srv = lab.spawn(`busybox-telnetd-${port}`, "busybox", ["telnetd", "-F", "-p", String(port), "-b", address, "-l", login]);
  await lab.waitListening(port, srv);
  return srv;
}

/** inetutils-inetd (foreground, debug) serving inetutils telnetd on `port`, the login script run with the client's USER. */
export async function startInetutilsTelnetd(lab: LabNetns, port: number): Promise<Server> {
  const login = loginScript(lab);
  const conf = lab.writeConfig("inetd.conf", `${lab.serverIp}:${port} stream tcp nowait root /usr/sbin/telnetd telnetd -h --accept-env=USER -E "${login} %U"\n`);
  const srv = lab.spawn(`inetd-${port}`, "/usr/sbin/inetutils-inetd", ["-d", "-p", `${lab.dir}/inetd.pid`, conf]);
  await lab.waitListening(port, srv);
  return srv;
}
