import { SeededRandom } from "@pxe/core";
import {
  BootOp, DhcpMessageType as T, DhcpOptionCode as O, dhcpMessage, findOption, ipv4Option, messageTypeOf, readIpv4Option,
  stringOption, u32Option, u8Option, type DhcpMessage, type DhcpOption, type DhcpTransmit, BOOTP_MIN_LEN,
} from "@pxe/dhcp";

/** A scripted DHCP server for machine tests: answers DISCOVER with OFFER and REQUEST with ACK (or NAK). */
export class FakeDhcpServer {
  /** Messages it received, decoded. */
  readonly seen: DhcpMessage[] = [];
  /** How many of the next REQUESTs get a NAK. */
  nakNext = 0;
  /** Whether to answer at all. */
  silent = false;
  constructor(
    readonly serverId = 0x0a000001,
    readonly pool = 0x0a000064,
    readonly options: DhcpOption[] = [
      ipv4Option(O.SubnetMask, 0xffffff00),
      ipv4Option(O.Router, 0x0a000001),
      ipv4Option(O.DnsServers, 0x0a000001, 0x0a000002),
      stringOption(O.DomainName, "lab.example"),
      u32Option(O.LeaseTime, 3600),
    ],
  ) {}

  /** Replies (UDP payloads) to one client datagram. */
  handle(t: DhcpTransmit): Uint8Array[] {
    const m = dhcpMessage.decode(t.payload, 0, t.payload.length).value;
    this.seen.push(m);
    if (this.silent) return [];
    const type = messageTypeOf(m);
    if (type === T.Discover) return [this.reply(m, T.Offer)];
    if (type === T.Request) {
      const sid = readIpv4Option(findOption(m, O.ServerId));
      if (sid !== undefined && sid !== this.serverId) return [];
      if (this.nakNext > 0) {
        this.nakNext--;
        return [this.reply(m, T.Nak)];
      }
      return [this.reply(m, T.Ack)];
    }
    return [];
  }

  private reply(req: DhcpMessage, type: number): Uint8Array {
    const m: DhcpMessage = {
      op: BootOp.Reply, htype: 1, hops: 0, xid: req.xid, secs: 0, flags: req.flags,
      ciaddr: 0, yiaddr: type === T.Nak ? 0 : this.pool, siaddr: 0x0a000001, giaddr: 0, chaddr: req.chaddr,
      sname: "", file: type === T.Nak ? "" : "pxelinux.0",
      options: [u8Option(O.MessageType, type), ipv4Option(O.ServerId, this.serverId), ...(type === T.Nak ? [] : this.options)],
    };
    const out = new Uint8Array(Math.max(BOOTP_MIN_LEN, dhcpMessage.encodingLength(m)));
    dhcpMessage.encodeInto(m, out, 0);
    return out;
  }
}

/** A lossy path: drops each datagram with probability `loss`, seeded. */
export class Lossy {
  private readonly rng: SeededRandom;
  dropped = 0;
  constructor(readonly loss: number, seed: number) {
    this.rng = new SeededRandom(seed);
  }
  /** True when the datagram survives. */
  pass(): boolean {
    if (this.rng.next() < this.loss) {
      this.dropped++;
      return false;
    }
    return true;
  }
}
