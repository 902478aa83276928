/** Login attempt counters: counted before the password check, shared by every instance. */
import { allLoginKeys, type LoginKeys } from "../domain/login_throttle.ts";
import type { RateCount } from "../domain/abuse_limits.ts";
import type { Queryable } from "./client.ts";
import { countHits, forgetHits, refundHits } from "./rate_counters.ts";

/** Counts one login attempt against its pair, email and client in one statement. */
export async function countLoginAttempt(
  sql: Queryable,
  keys: LoginKeys,
  now: Date,
): Promise<RateCount[]> {
  return await countHits(sql, allLoginKeys(keys), now);
}

/**
 * After a successful login: forgets its pair's attempts and takes this attempt back from the
 * email and the client, whose other attempts (someone else's, maybe) still count.
 */
export async function settleSuccessfulLogin(sql: Queryable, keys: LoginKeys): Promise<void> {
  await forgetHits(sql, [keys.pair]);
  await refundHits(sql, [keys.email, ...(keys.client ? [keys.client] : [])]);
}
