/**
 * @pxe/dns — a DNS stub resolver for network boot: the message codec with
 * safe name (de)compression (wire), a sans-IO resolver machine with search
 * domain, failover, retries and a TTL cache (machine), and an adapter that
 * runs it over UDP.
 */
export {
  DnsError, DnsNxDomainError, DnsNoDataError, DnsServFailError, DnsRefusedError, DnsServerError, DnsTruncatedError,
  DnsCnameError, DnsTimeoutError, DnsNameError, DnsEncodeError, DnsNoServerError,
} from "./errors.js";
export { DNS_PORT, RecordType, RecordClass, Rcode, HEADER_LEN, MAX_NAME_LEN, MAX_LABEL_LEN, MAX_POINTER_JUMPS, UDP_MESSAGE_LIMIT } from "./wire/constants.js";
export { parseIpv4, formatIpv4, parseIpv6, formatIpv6, addressLiteral } from "./wire/address.js";
export { nameToLabels, labelsToName, normalizeName, namesEqual, nameWireLength, readName } from "./wire/name.js";
export { DnsWriter } from "./wire/writer.js";
export { type DnsQuestion, type DnsRecord, type DnsRecordData, type DnsSoa, isNameType, readQuestion, readRecord, writeQuestion, writeRecord } from "./wire/record.js";
export { type DnsMessage, type DnsCodecOptions, dnsMessageCodec, dnsMessage, dnsMessageUncompressed } from "./wire/message.js";
export { DnsCache, type DnsCacheEntry, type DnsCacheOptions } from "./machine/cache.js";
export { type ResolverConfig, serverText } from "./machine/config.js";
export { buildQuery } from "./machine/query.js";
export {
  DnsResolver, type AddressType, type DnsAnswer, type DnsLookupError, type DnsResult, type DnsTransmit, type DnsDatagram, type DnsIgnoreReason,
} from "./machine/resolver.js";
export { StackResolver, type StackResolverOptions, type DnsStack } from "./adapter/stack.js";
