import { TooManyRedirectsError } from "../errors.js";
import type { HttpMethod } from "../wire/request.js";
import { resolveUrl } from "../wire/resolve.js";
import type { HttpUrl } from "../wire/url.js";
import { displayUrl, originOf } from "../wire/url.js";

/** Statuses that redirect (RFC 9110 §15.4). */
export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/** True for 301, 302, 303, 307, 308. */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.indexOf(status) >= 0;
}

/** The next request of a redirect chain. */
export interface RedirectStep {
  /** Where to go. */
  readonly url: HttpUrl;
  /** GET, or HEAD when the original was HEAD (303 turns anything else into GET). */
  readonly method: HttpMethod;
  /** True when credentials of the previous URL were dropped (cross-origin). */
  readonly credentialsStripped: boolean;
}

/**
 * Sans-IO redirect policy (after undici's redirect handler): follows
 * 301/302/303/307/308 with a Location, resolves relative references
 * against the current URL, changes the method to GET on 303 (HEAD stays
 * HEAD), keeps URL credentials only within one origin, and refuses more
 * than `max` hops or any URL already visited (TooManyRedirectsError with
 * the whole chain).
 */
export class RedirectPolicy {
  private current: HttpUrl;
  private method: HttpMethod;
  private readonly visited: string[] = [];
  /** Hops followed so far. */
  hops = 0;

  /** Starts a chain at the first request. */
  constructor(first: HttpUrl, method: HttpMethod, private readonly max = 5) {
    this.current = first;
    this.method = method;
    this.visited.push(key(first));
  }

  /** The URLs visited so far, credentials removed. */
  get chain(): string[] {
    return this.visited.slice();
  }

  /**
   * Given the status and Location of the current response, returns the next
   * step, or null when it is not a redirect to follow (not a redirect
   * status, or no Location). Throws UrlError for an unusable Location and
   * TooManyRedirectsError past the limit or on a loop.
   */
  next(status: number, location: string | null): RedirectStep | null {
    if (!isRedirect(status) || location === null || location.trim() === "") return null;
    let target = resolveUrl(this.current, location);
    const sameOrigin = originOf(target) === originOf(this.current);
    const hasOwn = target.username !== "" || target.password !== null;
    const hadCreds = this.current.username !== "" || this.current.password !== null;
    // A relative Location keeps the authority (userinfo included); an
    // absolute one brings its own. Within one origin, credentials carry
    // over; to another origin they never do (it can only carry its own).
    if (sameOrigin && !hasOwn && hadCreds) target = { ...target, username: this.current.username, password: this.current.password };
    const stripped = !sameOrigin && hadCreds;
    const k = key(target);
    if (this.visited.indexOf(k) >= 0) throw new TooManyRedirectsError([...this.visited, k], true, this.max);
    if (this.hops + 1 > this.max) throw new TooManyRedirectsError([...this.visited, k], false, this.max);
    this.hops++;
    this.visited.push(k);
    this.current = target;
    if (status === 303 && this.method !== "HEAD") this.method = "GET";
    return { url: target, method: this.method, credentialsStripped: stripped };
  }
}

function key(u: HttpUrl): string {
  return displayUrl(u);
}
