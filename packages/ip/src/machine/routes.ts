import { formatIpv4, prefixToMask, type Ipv4Address } from "../wire/address.js";

/** One route: destination network, prefix length, gateway (0 = on-link). */
export interface Route {
  /** Network address (host bits are cleared on add). */
  destination: Ipv4Address;
  /** CIDR prefix length, 0..32. */
  prefix: number;
  /** Next hop; 0 means the destination is on the link. */
  gateway: Ipv4Address;
  /** Where the route came from. */
  origin: "connected" | "default" | "static";
}

/** A route table with longest-prefix match (ties: the earlier route wins). */
export class RouteTable {
  private list: Route[] = [];

  /** Adds a route, replacing one with the same destination and prefix. */
  add(r: Route): void {
    const destination = (r.destination & prefixToMask(r.prefix)) >>> 0;
    this.remove(destination, r.prefix);
    this.list.push({ ...r, destination, gateway: r.gateway >>> 0 });
  }

  /** Removes the route for destination/prefix; returns whether one existed. */
  remove(destination: Ipv4Address, prefix: number): boolean {
    const d = (destination & prefixToMask(prefix)) >>> 0;
    const n = this.list.length;
    this.list = this.list.filter((r) => !(r.destination === d && r.prefix === prefix));
    return this.list.length !== n;
  }

  /** Removes every route. */
  clear(): void {
    this.list = [];
  }

  /** The most specific route to `dst`, if any. */
  lookup(dst: Ipv4Address): Route | undefined {
    let best: Route | undefined;
    for (const r of this.list) {
      if (((dst & prefixToMask(r.prefix)) >>> 0) === r.destination && (!best || r.prefix > best.prefix)) best = r;
    }
    return best;
  }

  /** Copies of all routes, most specific first. */
  routes(): Route[] {
    return this.list.map((r) => ({ ...r })).sort((a, b) => b.prefix - a.prefix);
  }

  /** `route`-style text lines. */
  format(): string[] {
    return this.routes().map((r) => `${formatIpv4(r.destination)}/${r.prefix} ${r.gateway ? `via ${formatIpv4(r.gateway)}` : "on-link"} (${r.origin})`);
  }
}
