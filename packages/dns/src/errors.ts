import { PxeError, TimeoutError } from "@pxe/core";

/** Base of the errors a DNS lookup fails with (all but DnsTimeoutError, which is a core TimeoutError). */
export class DnsError extends PxeError {
  /** The name that was looked up (after the search domain was applied). */
  readonly qname: string;
  /** The server that gave the answer, when one did. */
  readonly server: string | undefined;
  constructor(code: string, name: string, server: string | undefined, message: string) {
    super(code, message);
    this.qname = name;
    this.server = server;
  }
}

/** The server says the name does not exist (RCODE 3, NXDOMAIN). */
export class DnsNxDomainError extends DnsError {
  constructor(name: string, server: string | undefined) {
    super("DNS_NXDOMAIN", name, server, `${name}: no such domain (NXDOMAIN${from(server)})`);
  }
}

/** The name exists but has no record of the asked type (NOERROR with no answer). */
export class DnsNoDataError extends DnsError {
  /** The record type asked for. */
  readonly type: number;
  constructor(name: string, type: number, server: string | undefined) {
    super("DNS_NODATA", name, server, `${name}: no ${typeName(type)} record${from(server)}`);
    this.type = type;
  }
}

/** The server failed to answer (RCODE 2, SERVFAIL) — on every server tried. */
export class DnsServFailError extends DnsError {
  constructor(name: string, server: string) {
    super("DNS_SERVFAIL", name, server, `${name}: server failure (SERVFAIL from ${server})`);
  }
}

/** The server refused the query (RCODE 5, REFUSED) — on every server tried. */
export class DnsRefusedError extends DnsError {
  constructor(name: string, server: string) {
    super("DNS_REFUSED", name, server, `${name}: query refused (REFUSED by ${server})`);
  }
}

/** Another error RCODE (FORMERR, NOTIMP, ...) — on every server tried. */
export class DnsServerError extends DnsError {
  /** The response code. */
  readonly rcode: number;
  constructor(name: string, server: string, rcode: number) {
    super("DNS_RCODE", name, server, `${name}: server ${server} answered with RCODE ${rcode}`);
    this.rcode = rcode;
  }
}

/**
 * The answer did not fit in a UDP message (TC bit set) and could not be
 * retried over TCP (the resolver's `tcp` option is off, e.g. a stack
 * without @pxe/tcp), or came back truncated even over TCP, or the retry
 * over TCP failed (`tcpFailure` says how: refused, timed out, reset).
 */
export class DnsTruncatedError extends DnsError {
  /** True when the truncated answer came over TCP. */
  readonly overTcp: boolean;
  /** How the retry over TCP failed, e.g. "was refused" or "timed out after 2000 ms"; undefined when there was none. */
  readonly tcpFailure: string | undefined;
  constructor(name: string, server: string, overTcp = false, tcpFailure?: string) {
    super(
      "DNS_TRUNCATED",
      name,
      server,
      `${name}: answer from ${server} is truncated (TC set)${tcpFailure !== undefined ? ` and the retry over TCP ${tcpFailure}` : overTcp ? " even over TCP" : " and DNS over TCP is not enabled"}`,
    );
    this.overTcp = overTcp;
    this.tcpFailure = tcpFailure;
  }
}

/** A CNAME chain loops or is longer than the configured limit. */
export class DnsCnameError extends DnsError {
  /** The names followed, in order, starting with the name asked. */
  readonly chain: readonly string[];
  /** "loop" or "too-long". */
  readonly reason: "loop" | "too-long";
  constructor(name: string, chain: readonly string[], reason: "loop" | "too-long", server: string | undefined) {
    super("DNS_CNAME", name, server, `${name}: CNAME chain ${reason === "loop" ? "loops" : "is too long"}: ${chain.join(" -> ")}`);
    this.chain = chain;
    this.reason = reason;
  }
}

/** No server answered within the tries allowed. */
export class DnsTimeoutError extends TimeoutError {
  /** The name that was looked up. */
  readonly qname: string;
  /** The servers tried, in order of the tries. */
  readonly servers: readonly string[];
  constructor(name: string, servers: readonly string[], timeoutMs: number) {
    super(`DNS lookup of ${name} (${servers.length} tries to ${[...new Set(servers)].join(", ")})`, timeoutMs);
    (this as { code: string }).code = "DNS_TIMEOUT";
    this.qname = name;
    this.servers = servers;
  }
}

/** A name that cannot be a DNS name (empty label, label over 63, name over 255 bytes, bad escape). */
export class DnsNameError extends PxeError {
  /** The offending name. */
  readonly input: string;
  constructor(name: string, reason: string) {
    super("DNS_NAME", `invalid DNS name ${JSON.stringify(name)}: ${reason}`);
    this.input = name;
  }
}

/** A record value that cannot be encoded for its type (e.g. an A record that is not IPv4). */
export class DnsEncodeError extends PxeError {
  /** What was being encoded. */
  readonly field: string;
  constructor(field: string, reason: string) {
    super("DNS_ENCODE", `cannot encode DNS ${field}: ${reason}`);
    this.field = field;
  }
}

/** The resolver has no server to ask. */
export class DnsNoServerError extends DnsError {
  constructor(name: string) {
    super("DNS_NO_SERVER", name, undefined, `${name}: no DNS server configured`);
  }
}

function from(server: string | undefined): string {
  return server ? ` from ${server}` : "";
}

function typeName(type: number): string {
  return type === 1 ? "A" : type === 28 ? "AAAA" : type === 5 ? "CNAME" : `type ${type}`;
}
