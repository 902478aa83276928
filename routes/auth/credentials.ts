/** Registration and password checks, shared by the JSON API and the sign-in pages. */
import { findLogin, insertUser, type UserRow } from "../../db/users.ts";
import { countLoginAttempt, settleSuccessfulLogin } from "../../db/login_throttle.ts";
import { countHits } from "../../db/rate_counters.ts";
import { assertWithinLimit, rateKey, registrationLimit } from "../../domain/abuse_limits.ts";
import { RateLimitedError, UnauthorizedError } from "../../domain/errors.ts";
import { loginKeys, loginRetryAfterSeconds } from "../../domain/login_throttle.ts";
import { hashPassword, verifyPassword } from "../../domain/passwords.ts";
import type { AppDeps } from "../app_env.ts";

/**
 * Registers a customer; an email already taken is a 409 email_taken. Registrations are counted
 * per client address before the (costly) password hash: too many are a 429 with Retry-After.
 */
export async function registerCustomer(
  deps: AppDeps,
  input: { name: string; email: string; password: string },
  clientAddress: string | undefined,
): Promise<UserRow> {
  // In-process callers (tests, scripts) have no address; Deno.serve always passes one.
  if (clientAddress) {
    const limit = registrationLimit(deps.config.registrationsPerClientMax);
    const now = deps.clock();
    const [count] = await countHits(deps.sql, [rateKey(limit, clientAddress)], now);
    assertWithinLimit(limit, count, { now, message: "Too many registrations; retry later" });
  }
  const passwordHash = await hashPassword(input.password, deps.config.passwordHash);
  const user = await insertUser(deps.sql, {
    name: input.name,
    email: input.email.trim(),
    passwordHash,
    now: deps.clock(),
  });
  deps.log("info", "user_registered", { user_id: user.id });
  return user;
}

// Verifying against this when the email is unknown keeps both failures equally slow.
let decoyHash: Promise<string> | undefined;

/**
 * The user whose email and password these are, or a 401 that does not say which was wrong.
 * The attempt is counted first, in one statement in the database (so parallel attempts and
 * other instances all see it), per (email, address) pair, email and address; an attempt over
 * domain/login_throttle.ts's limits is a 429 before any password is checked.
 */
export async function checkCredentials(
  deps: AppDeps,
  input: { email: string; password: string },
  clientAddress: string | undefined,
): Promise<UserRow> {
  const now = deps.clock();
  const keys = loginKeys(input.email, clientAddress);
  const counts = await countLoginAttempt(deps.sql, keys, now);
  const retryAfterSeconds = loginRetryAfterSeconds(counts, now);
  if (retryAfterSeconds > 0) {
    throw new RateLimitedError("Too many failed logins; retry later", retryAfterSeconds);
  }
  const user = await findLogin(deps.sql, input.email.trim());
  decoyHash ??= hashPassword(crypto.randomUUID(), deps.config.passwordHash);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? await decoyHash);
  if (!user || !valid) throw new UnauthorizedError("The email or password is incorrect");
  await settleSuccessfulLogin(deps.sql, keys);
  return user;
}
