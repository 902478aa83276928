/** Registration and password checks, shared by the JSON API and the sign-in pages. */
import { findLogin, insertUser, type UserRow } from "../../db/users.ts";
import {
  clearEmailFailures,
  loginRetryAfterSeconds,
  recordLoginFailure,
} from "../../db/login_throttle.ts";
import { RateLimitedError, UnauthorizedError } from "../../domain/errors.ts";
import { loginSubjects } from "../../domain/login_throttle.ts";
import { hashPassword, verifyPassword } from "../../domain/passwords.ts";
import type { AppDeps } from "../app_env.ts";

/** Registers a customer; an email already taken is a 409 email_taken. */
export async function registerCustomer(
  deps: AppDeps,
  input: { name: string; email: string; password: string },
): Promise<UserRow> {
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
 * Failures are counted in the database per email and per client address, so every instance
 * sees them; too many answer 429 before any password is checked.
 */
export async function checkCredentials(
  deps: AppDeps,
  input: { email: string; password: string },
  clientAddress: string | undefined,
): Promise<UserRow> {
  const now = deps.clock();
  const subjects = loginSubjects(input.email, clientAddress);
  const retryAfterSeconds = await loginRetryAfterSeconds(deps.sql, subjects, now);
  if (retryAfterSeconds > 0) {
    throw new RateLimitedError("Too many failed logins; retry later", retryAfterSeconds);
  }
  const user = await findLogin(deps.sql, input.email.trim());
  decoyHash ??= hashPassword(crypto.randomUUID(), deps.config.passwordHash);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? await decoyHash);
  if (!user || !valid) {
    await recordLoginFailure(deps.sql, subjects, now);
    throw new UnauthorizedError("The email or password is incorrect");
  }
  await clearEmailFailures(deps.sql, subjects[0]);
  return user;
}
