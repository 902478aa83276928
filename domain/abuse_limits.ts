/**
 * Abuse limits: how often one client address or one user may do what is costly to the bank or
 * useful to an attacker. Each is a fixed window counted in the database (db/rate_counters.ts)
 * before the work it guards; this module holds the numbers and the verdicts.
 */
import { RateLimitedError, RefusedError } from "./errors.ts";

/** A fixed-window limit: at most `max` hits per subject in each window of `windowSeconds`. */
export interface RateLimit {
  rule: string;
  max: number;
  windowSeconds: number;
}

/** One counter: a rule applied to a subject (an address, a user id, an email). */
export interface RateKey {
  rule: string;
  subject: string;
  windowSeconds: number;
}

/** A key's count in its current window, this hit included. */
export interface RateCount {
  key: RateKey;
  hits: number;
  windowEndsAt: Date;
}

/** Registrations from one client address per window (each costs an argon2 hash). */
export const REGISTRATION_WINDOW_SECONDS = 3_600;
/** The default of REGISTRATIONS_PER_CLIENT_MAX: registrations per address per hour. */
export const REGISTRATIONS_PER_CLIENT_MAX_DEFAULT = 20;

/** Redelivery requests one user may make per window (each fans out to every endpoint). */
export const REDELIVERIES_PER_USER_MAX = 10;
/** The redelivery window. */
export const REDELIVERY_WINDOW_SECONDS = 60;

/** Account-number lookups (the transfers page's inline check) one user may make per window. */
export const ACCOUNT_NUMBER_CHECKS_PER_USER_MAX = 30;
/** The account-number check window. */
export const ACCOUNT_NUMBER_CHECK_WINDOW_SECONDS = 60;

/** Confirmation-of-payee checks (POST /account_verifications) one user may make per window. */
export const ACCOUNT_VERIFICATIONS_PER_USER_MAX = 30;
/** The confirmation-of-payee window. */
export const ACCOUNT_VERIFICATION_WINDOW_SECONDS = 60;

/**
 * Accounts one user may hold; opening one more is a 422 account_limit (the code and status of
 * the API-key and webhook-endpoint caps).
 */
export const ACCOUNTS_PER_USER_MAX = 20;

/** The registration limit for `max` registrations per address per hour. */
export function registrationLimit(max: number): RateLimit {
  return { rule: "register_per_client", max, windowSeconds: REGISTRATION_WINDOW_SECONDS };
}

/** The redelivery limit, per user. */
export const REDELIVERY_LIMIT: RateLimit = {
  rule: "redeliver_per_user",
  max: REDELIVERIES_PER_USER_MAX,
  windowSeconds: REDELIVERY_WINDOW_SECONDS,
};

/** The account-number check limit, per user. */
export const ACCOUNT_NUMBER_CHECK_LIMIT: RateLimit = {
  rule: "account_check_per_user",
  max: ACCOUNT_NUMBER_CHECKS_PER_USER_MAX,
  windowSeconds: ACCOUNT_NUMBER_CHECK_WINDOW_SECONDS,
};

/**
 * The confirmation-of-payee limit, per user: each check tells whether a name fits an account, so
 * a burst of them would enumerate the bank's customers.
 */
export const ACCOUNT_VERIFICATION_LIMIT: RateLimit = {
  rule: "payee_check_per_user",
  max: ACCOUNT_VERIFICATIONS_PER_USER_MAX,
  windowSeconds: ACCOUNT_VERIFICATION_WINDOW_SECONDS,
};

/** The counter of `limit` for `subject`. */
export function rateKey(limit: RateLimit, subject: string): RateKey {
  return { rule: limit.rule, subject, windowSeconds: limit.windowSeconds };
}

/** Seconds until a count's window ends, at least 1 (a Retry-After value). */
export function secondsUntilWindowEnds(count: RateCount, now: Date): number {
  return Math.max(1, Math.ceil((count.windowEndsAt.getTime() - now.getTime()) / 1000));
}

/** Throws a 429 rate_limited (with Retry-After) when the count is over the limit's max. */
export function assertWithinLimit(
  limit: RateLimit,
  count: RateCount,
  options: { now: Date; message: string },
): void {
  if (count.hits > limit.max) {
    throw new RateLimitedError(options.message, secondsUntilWindowEnds(count, options.now));
  }
}

/** Throws a 422 account_limit when a user holding `held` accounts may open no more. */
export function assertMayOpenAccount(held: number): void {
  if (held >= ACCOUNTS_PER_USER_MAX) {
    throw new RefusedError(
      "account_limit",
      `Cannot open an account: you already have ${ACCOUNTS_PER_USER_MAX}, the most one may hold`,
      undefined,
      "account_limit",
    );
  }
}
