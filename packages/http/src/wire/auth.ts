import { concat, utf8Bytes } from "@pxe/core";
import { base64Encode } from "./base64.js";
import { percentDecodeBytes } from "./percent.js";

/**
 * The value of an Authorization / Proxy-Authorization header for Basic
 * authentication (RFC 7617), from percent-encoded userinfo parts as they
 * appear in a URL. Credentials are sent as UTF-8.
 */
export function basicAuth(username: string, password: string | null): string {
  const bytes = concat([percentDecodeBytes(username), utf8Bytes(":"), percentDecodeBytes(password ?? "")]);
  return "Basic " + base64Encode(bytes);
}
