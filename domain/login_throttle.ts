/**
 * Login throttling policy. Every attempt is counted before its password is checked, against:
 * - its (email, client address) pair: a few guesses per window, so a stranger's failures from
 *   their own address never lock the owner out of theirs;
 * - its email, from any address: past a threshold the email is under back-off and each pair
 *   gets a single attempt per window (slowing a guesser spread over many addresses), yet an
 *   owner's first attempt from a fresh address is still checked, so the right password passes;
 * - its client address, for any email: one address cannot sweep many accounts.
 * A success forgets its pair's count and takes its own attempt back from the others.
 */
import { type RateCount, type RateKey, secondsUntilWindowEnds } from "./abuse_limits.ts";

/** The window login attempts are counted in. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Attempts one (email, address) pair may make per window. */
export const LOGIN_ATTEMPTS_PER_PAIR_MAX = 5;
/** Attempts per pair per window while the email is under back-off. */
export const LOGIN_ATTEMPTS_PER_PAIR_IN_BACKOFF_MAX = 1;
/** Attempts on one email (any address) per window beyond which the email is under back-off. */
export const LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER = 20;
/** Attempts from one client address (any email) per window. */
export const LOGIN_ATTEMPTS_PER_CLIENT_MAX = 30;

// Stands in for the address when the app runs in-process without one (tests, scripts).
const UNKNOWN_ADDRESS = "unknown";

/** The counters one login attempt counts against. */
export interface LoginKeys {
  pair: RateKey;
  email: RateKey;
  client: RateKey | undefined;
}

/** The counters of an attempt on `email` from `clientAddress` (the client's only when known). */
export function loginKeys(email: string, clientAddress: string | undefined): LoginKeys {
  const normalized = email.trim().toLowerCase();
  const key = (rule: string, subject: string): RateKey => ({
    rule,
    subject,
    windowSeconds: LOGIN_WINDOW_SECONDS,
  });
  return {
    // JSON keeps the pair unambiguous whatever characters the email holds.
    pair: key("login_pair", JSON.stringify([normalized, clientAddress ?? UNKNOWN_ADDRESS])),
    email: key("login_email", normalized),
    client: clientAddress ? key("login_client", clientAddress) : undefined,
  };
}

/** Every counter of the attempt, in one order (the database locks them in this order). */
export function allLoginKeys(keys: LoginKeys): RateKey[] {
  return [keys.pair, keys.email, ...(keys.client ? [keys.client] : [])];
}

/**
 * Seconds the attempt must wait (a 429's Retry-After), or 0 when its password may be checked;
 * `counts` are this attempt's, from allLoginKeys' order.
 */
export function loginRetryAfterSeconds(counts: RateCount[], now: Date): number {
  const [pair, email, client] = counts;
  const backoff = email.hits > LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER;
  const pairMax = backoff ? LOGIN_ATTEMPTS_PER_PAIR_IN_BACKOFF_MAX : LOGIN_ATTEMPTS_PER_PAIR_MAX;
  const over = [
    ...(pair.hits > pairMax ? [pair] : []),
    ...(client && client.hits > LOGIN_ATTEMPTS_PER_CLIENT_MAX ? [client] : []),
  ];
  return over.reduce((wait, count) => Math.max(wait, secondsUntilWindowEnds(count, now)), 0);
}
