/** The abuse-limit verdicts: pure functions over counts the database returned. */
import assert from "node:assert/strict";
import {
  ACCOUNTS_PER_USER_MAX,
  assertMayOpenAccount,
  assertWithinLimit,
  type RateCount,
  REDELIVERY_LIMIT,
} from "../../domain/abuse_limits.ts";
import {
  allLoginKeys,
  LOGIN_ATTEMPTS_PER_CLIENT_MAX,
  LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER,
  LOGIN_ATTEMPTS_PER_PAIR_MAX,
  loginKeys,
  loginRetryAfterSeconds,
} from "../../domain/login_throttle.ts";

const now = new Date("2026-12-01T12:00:00Z");
const endsIn = (seconds: number) => new Date(now.getTime() + seconds * 1000);

function counts(pair: number, email: number, client: number): RateCount[] {
  const keys = allLoginKeys(loginKeys("Owner@Example.test", "203.0.113.9"));
  return [pair, email, client].map((hits, i) => ({ key: keys[i], hits, windowEndsAt: endsIn(90) }));
}

Deno.test("loginRetryAfterSeconds lets a pair make its limit of attempts, then waits out the window", () => {
  assert.equal(loginRetryAfterSeconds(counts(LOGIN_ATTEMPTS_PER_PAIR_MAX, 1, 1), now), 0);
  assert.equal(loginRetryAfterSeconds(counts(LOGIN_ATTEMPTS_PER_PAIR_MAX + 1, 1, 1), now), 90);
});

Deno.test("loginRetryAfterSeconds gives each pair one attempt while the email is under back-off", () => {
  const backoff = LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER + 1;
  assert.equal(loginRetryAfterSeconds(counts(1, backoff, 1), now), 0, "a fresh address is checked");
  assert.equal(loginRetryAfterSeconds(counts(2, backoff, 1), now), 90);
  assert.equal(
    loginRetryAfterSeconds(counts(2, LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER, 1), now),
    0,
  );
});

Deno.test("loginRetryAfterSeconds refuses an address over its limit for any email", () => {
  assert.equal(loginRetryAfterSeconds(counts(1, 1, LOGIN_ATTEMPTS_PER_CLIENT_MAX), now), 0);
  assert.equal(loginRetryAfterSeconds(counts(1, 1, LOGIN_ATTEMPTS_PER_CLIENT_MAX + 1), now), 90);
});

Deno.test("loginKeys counts an email whatever its case, and a pair per address", () => {
  const a = loginKeys(" Owner@Example.test ", "203.0.113.9");
  const b = loginKeys("owner@example.test", "203.0.113.10");
  assert.equal(a.email.subject, b.email.subject);
  assert.notEqual(a.pair.subject, b.pair.subject);
  assert.equal(loginKeys("x@example.test", undefined).client, undefined);
});

Deno.test("assertWithinLimit throws rate_limited with the seconds left in the window", () => {
  const count = (hits: number): RateCount => ({
    key: { rule: REDELIVERY_LIMIT.rule, subject: "u", windowSeconds: 60 },
    hits,
    windowEndsAt: endsIn(12.2),
  });
  assertWithinLimit(REDELIVERY_LIMIT, count(REDELIVERY_LIMIT.max), { now, message: "m" });
  assert.throws(
    () =>
      assertWithinLimit(REDELIVERY_LIMIT, count(REDELIVERY_LIMIT.max + 1), { now, message: "m" }),
    { code: "rate_limited", retryAfterSeconds: 13 },
  );
});

Deno.test("assertMayOpenAccount refuses the account past the cap with account_limit", () => {
  assertMayOpenAccount(ACCOUNTS_PER_USER_MAX - 1);
  assert.throws(() => assertMayOpenAccount(ACCOUNTS_PER_USER_MAX), { code: "account_limit" });
});
