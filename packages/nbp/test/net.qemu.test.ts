// System test: the network stack inside pxehttp.0 (QEMU, TCG, e1000,
// user-mode net: the guest is 10.0.2.15 and reaches the host's 127.0.0.1 as
// 10.0.2.2). One boot; on the host: dnsmasq (DNS on 127.0.0.1:53), nginx
// (autoindex, a 64 MiB random file and small ones), squid (forward proxy).
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu, type QemuInstance } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT, commandOutput as cmd } from "./boot-checks.js";
import { startDnsmasq, startNginx, startSquid, type HostServer } from "./host-servers.js";

const BIG = 64 * 1024 * 1024;
/** A 64 MiB fetch under TCG: generous, the test measures nothing. */
const FETCH_TIMEOUT = 900_000;

let tftpDir = "";
let nginx: HostServer | undefined;
let squid: HostServer | undefined;
let dnsmasq: HostServer | undefined;
let bigSha = "";
const small = new TextEncoder().encode("hello from the host\n");

beforeAll(async () => {
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-net-"));
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  const big = randomBytes(BIG);
  bigSha = createHash("sha256").update(big).digest("hex");
  nginx = await startNginx({ "big.bin": big, "hello.txt": small, "notes.txt": new TextEncoder().encode("notes\n") });
  squid = await startSquid();
  dnsmasq = await startDnsmasq("boot.test", { "boot.test": "10.0.2.2" }, { "www.boot.test": "alias.boot.test", "alias.boot.test": "boot.test" });
}, 600_000);

afterAll(async () => {
  await Promise.all([nginx?.stop(), squid?.stop(), dnsmasq?.stop()]);
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

/** The VGA text screen (80x25 at 0xB8000) read through the QEMU monitor, one string per row. */
async function vgaScreen(vm: QemuInstance): Promise<string[]> {
  const rows: string[] = [];
  for (let row = 0; row < 25; row++) {
    const out = await vm.monitor(`xp /80xh ${0xb8000 + row * 160}`);
    const cells = [...out.matchAll(/0x([0-9a-f]{4})\b/g)].map((m) => parseInt(m[1], 16) & 0xff);
    rows.push(cells.map((c) => (c >= 32 && c < 127 ? String.fromCharCode(c) : ".")).join("").replace(/\s+$/, ""));
  }
  return rows;
}

/** The fetch summary "NAME  SIZE in M:SS, RATE" as MB/s (decimal, as printed). */
function rate(out: string): string {
  return /in \d+:\d\d, ([\d.]+ [kM]?B\/s)/.exec(out)?.[1] ?? "?";
}

describe("pxehttp.0: the network stack in QEMU (user-mode net)", () => {
  test("VGA line editing, ping, Ctrl-C, DNS via dnsmasq on the host, ls, cat, fetch 64 MiB direct and through squid", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 512, monitor: true, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      expect(vm.text()).toMatch(/Network stack: 10\.0\.2\.15\/24 via 10\.0\.2\.2 \(from the cached DHCP ACK\)/);

      // VGA: the line editor's cursor escapes (ESC[nD, ESC[nC, ESC[K) are
      // interpreted by console.c, so an edited line reads right on screen.
      vm.sendRaw("helo\x1b[Dl\x1b[C");
      await new Promise((r) => setTimeout(r, 1500));
      expect((await vgaScreen(vm)).filter((l) => l.startsWith("pxehttp>")).pop()).toBe("pxehttp> hello");
      vm.sendRaw("\x15"); // Ctrl-U clears the line

      // `dhcp` asks afresh (slirp's DHCP server) and reconfigures the same address.
      const lease = await cmd(vm, "dhcp", /next-server:\s+10\.0\.2\.2/);
      expect(lease).toMatch(/address:\s+10\.0\.2\.15\n\s+netmask:\s+255\.255\.255\.0\n\s+router:\s+10\.0\.2\.2/);
      await cmd(vm, "route", /default\s+10\.0\.2\.2\s+default/);

      // ICMP: slirp answers echo requests to its own 10.0.2.2.
      const ping = await cmd(vm, "ping 10.0.2.2 -c 3", /round-trip min\/avg\/max/);
      expect(ping.match(/64 bytes from 10\.0\.2\.2: seq=\d ttl=\d+ time=[\d.]+ ms/g)?.length).toBe(3);
      expect(ping).toMatch(/3 packets transmitted, 3 received, 0% packet loss/);

      // Ctrl-C stops a running ping and prints the summary.
      vm.mark();
      vm.send("ping 10.0.2.2 -c 1000");
      await vm.waitFor(/seq=1 /, CMD_TIMEOUT);
      vm.sendRaw("\x03");
      await vm.waitFor(/packets transmitted/, CMD_TIMEOUT);
      await vm.waitFor(/pxehttp> /, CMD_TIMEOUT);

      // DNS: dnsmasq on the host's 127.0.0.1:53 is 10.0.2.2:53 for the guest.
      await cmd(vm, "set dns.servers=10.0.2.2", /\n/);
      const a = await cmd(vm, "nslookup boot.test", /boot\.test\s+A\s+10\.0\.2\.2/);
      expect(a).toMatch(/server:\s+10\.0\.2\.2/);
      const chain = await cmd(vm, "nslookup www.boot.test", /A\s+10\.0\.2\.2/);
      expect(chain).toMatch(/www\.boot\.test\s+canonical name = alias\.boot\.test\nalias\.boot\.test\s+canonical name = boot\.test\nboot\.test\s+A\s+10\.0\.2\.2/);
      await cmd(vm, "nslookup nope.boot.test", /error: [^\n]*nope\.boot\.test: no such domain \(NXDOMAIN/);
      expect(dnsmasq!.log()).toMatch(/query\[A\] www\.boot\.test from 127\.0\.0\.1/);
      // A name works where an address does.
      await cmd(vm, "ping boot.test -c 1", /1 packets transmitted, 1 received/);

      // HTTP: directory listing from nginx's autoindex, a small file.
      const base = `http://10.0.2.2:${nginx!.port}`;
      const ls = await cmd(vm, `ls ${base}/`, /\(\d+ entries, nginx index\)[\s\S]*notes\.txt/);
      expect(ls).toMatch(/big\.bin\s+67108864/);
      expect(ls).toMatch(/hello\.txt\s+20/);
      await cmd(vm, `cat ${base}/hello.txt`, /hello from the host/);
      // A wrong --sha256 is refused (a small file keeps this quick).
      await cmd(vm, `fetch ${base}/hello.txt --sha256 ${"0".repeat(64)}`, /error: fetch: SHA-256 mismatch[^\n]*data discarded/);

      // Ctrl-C interrupts a running fetch (the command polls the stack in its own loop).
      vm.mark();
      vm.send(`fetch ${base}/big.bin`);
      await vm.waitFor(/big\.bin\s+\d+% \[/, CMD_TIMEOUT);
      vm.sendRaw("\x03");
      await vm.waitFor(/interrupted/, CMD_TIMEOUT);
      await vm.waitFor(/pxehttp> /, CMD_TIMEOUT);

      // 64 MiB direct, SHA-256 checked.
      const t0 = Date.now();
      const direct = await cmd(vm, `fetch ${base}/big.bin --sha256 ${bigSha}`, /checksum OK, 67108864 bytes|error:/, FETCH_TIMEOUT);
      const directMs = Date.now() - t0;
      expect(direct).toMatch(/big\.bin\s+100% \[/);
      expect(direct).toMatch(/64\.0 MiB in \d+:\d\d, [\d.]+ [kM]?B\/s/);
      expect(direct).toContain(`sha256 ${bigSha}`);
      expect(direct).toMatch(/checksum OK, 67108864 bytes in memory as 'big\.bin'/);
      expect(nginx!.log()).toMatch(/"GET \/big\.bin HTTP\/1\.1" 200 67108864/);
      // On VGA the progress bar was redrawn in place (CR + ESC[K): the summary line is clean.
      const screen = await vgaScreen(vm);
      expect(screen.find((l) => /^big\.bin\s+64\.0 MiB in /.test(l))).toMatch(/^big\.bin\s+64\.0 MiB in \d+:\d\d, [\d.]+ [kM]?B\/s$/);

      // The same through squid on the host (absolute-form request; squid fetches from 127.0.0.1).
      await cmd(vm, `set http.proxy=http://10.0.2.2:${squid!.port}`, /\n/);
      const t1 = Date.now();
      const proxied = await cmd(vm, `fetch http://127.0.0.1:${nginx!.port}/big.bin --sha256 ${bigSha}`, /checksum OK, 67108864 bytes|error:/, FETCH_TIMEOUT);
      const proxyMs = Date.now() - t1;
      expect(proxied).toMatch(/checksum OK, 67108864 bytes/);
      expect(squid!.log()).toMatch(new RegExp(`TCP_MISS/200 \\d+ GET http://127\\.0\\.0\\.1:${nginx!.port}/big\\.bin`));

      // The native receive loop coalesced TCP segments (the SHA-256 above shows it did so without damage).
      const stats = await cmd(vm, "stats undi", /isr\.merged\s+\d+/);
      expect(Number(/isr\.merged\s+(\d+)/.exec(stats)![1])).toBeGreaterThan(10_000);
      // The TCP window clamp (16 segments) keeps every burst within what the
      // e1000 holds: no receive overruns. Unclamped, slirp's bursts overran it
      // about 11 times per 16 MiB (81 times over these 128 MiB in one run).
      const overruns = /firmware\.crc\s+(\d+)/.exec(stats);
      expect(overruns, stats).not.toBeNull();
      expect(Number(overruns![1])).toBeLessThanOrEqual(2);

      console.log(`64 MiB fetch in QEMU (TCG, e1000, user-mode net): direct ${(directMs / 1000).toFixed(1)} s wall (guest reports ${rate(direct)}), via squid ${(proxyMs / 1000).toFixed(1)} s (${rate(proxied)})`);
      vm.mark();
      vm.send("poweroff");
      await vm.waitExit(60_000);
    });
  }, 3_600_000);
});
