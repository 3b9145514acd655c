// @pxe/http — HTTP/1.1 client: wire codecs, sans-IO machines, and a client over a transport seam.
export {
  HttpParseError,
  UrlError,
  HeaderValueError,
  HttpError,
  ConnectionRefusedError,
  ConnectionResetError,
  DnsError,
  HttpTimeoutError,
  HttpStatusError,
  BodyTruncatedError,
  TooManyRedirectsError,
  RangeMismatchError,
  MalformedResponseError,
  BodyConsumedError,
  LowSpeedError,
} from "./errors.js";
export type { HttpUrl, HostKind } from "./wire/url.js";
export { parseUrl, serializeUrl, displayUrl, originOf, hostHeader, requestTarget, withoutCredentials, HTTP_DEFAULT_PORT } from "./wire/url.js";
export { resolveReference, resolveUrl, removeDotSegments, splitUri, recomposeUri } from "./wire/resolve.js";
export type { UriParts } from "./wire/resolve.js";
export { normalizePercent, percentDecodeBytes } from "./wire/percent.js";
export { parseIPv4, parseIPv6, formatIPv6 } from "./wire/host.js";
export { base64Encode, base64Decode } from "./wire/base64.js";
export { basicAuth } from "./wire/auth.js";
export { Headers, isToken } from "./wire/headers.js";
export type { HeaderField } from "./wire/headers.js";
export { buildRequest, serializeRequest, rangeHeader } from "./wire/request.js";
export type { HttpMethod, ByteRange, RequestHead, RequestOptions as RequestHeadOptions } from "./wire/request.js";
export { ResponseParser, parseStatusLine } from "./wire/response-parser.js";
export type { ResponseHead, ResponseEvent, ResponseParserOptions } from "./wire/response-parser.js";
export { ChunkedDecoder, encodeChunked, MAX_CHUNK_LINE } from "./wire/chunked.js";
export type { ChunkedOutput } from "./wire/chunked.js";
export { decideFraming, parseContentLength } from "./wire/framing.js";
export type { BodyFraming, FramingDecision } from "./wire/framing.js";
export { DEFAULT_FIELD_LIMITS } from "./wire/field-lines.js";
export type { FieldLimits } from "./wire/field-lines.js";
export { parseContentRange, parseUnsatisfiedRange, formatContentRange } from "./wire/content-range.js";
export type { ContentRange } from "./wire/content-range.js";
export { keepAliveDecision, parseKeepAlive } from "./wire/keep-alive.js";
export type { KeepAliveDecision } from "./wire/keep-alive.js";
export { RedirectPolicy, isRedirect, REDIRECT_STATUSES } from "./machine/redirect.js";
export type { RedirectStep } from "./machine/redirect.js";
export { parseProxy, parseNoProxy, bypassesProxy, selectProxy, proxyFromEnv, proxySettings, DEFAULT_PROXY_PORT } from "./machine/proxy.js";
export type { ProxyServer, ProxySettings, NoProxyRule } from "./machine/proxy.js";
export { openTunnel, ProxyTunnelError } from "./client/tunnel.js";
export type { TunnelOptions } from "./client/tunnel.js";
export { ResumeState } from "./machine/resume.js";
export { LowSpeedMonitor } from "./machine/low-speed.js";
export type { HttpTimeoutPhase } from "./errors.js";
export type { ResumeVerdict } from "./machine/resume.js";
export { ConnectionPool } from "./machine/pool.js";
export type { PoolOptions } from "./machine/pool.js";
export type { ByteStream, HttpTransport, ConnectOptions, Resolver, TransportErrorKind } from "./transport.js";
export { TransportError } from "./transport.js";
export type { Timers } from "./timers.js";
export { withTimeout } from "./timers.js";
export { HttpClient, DEFAULT_USER_AGENT, DEFAULT_HEAD_TIMEOUT_MS, DEFAULT_LOW_SPEED_LIMIT, DEFAULT_LOW_SPEED_TIME_MS } from "./client/client.js";
export type { HttpClientStats } from "./client/client.js";
export type { HttpClientOptions, RequestOptions, RestartInfo, ResumeInfo } from "./client/options.js";
export type { HttpResponse } from "./client/response.js";
export { collectBody } from "./client/response.js";
export { Sha256, sha256, sha256Hex, compressTs as sha256CompressTs } from "./sha256.js";
export { StackTransport } from "./stack/stack-transport.js";
export type { StackTransportOptions, TransportStack } from "./stack/stack-transport.js";
export { TcpStream, mapStreamError } from "./stack/stream.js";
export type { TcpStreamHost } from "./stack/stream.js";
export { PollTimers } from "./stack/poll-timers.js";
export { dnsResolver } from "./stack/dns-resolver.js";
export type { Ipv4Lookup } from "./stack/dns-resolver.js";
