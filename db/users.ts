/** Users: registration and look-ups. Emails are unique case-insensitively (users_email_unique). */
import { ConflictError, UnauthorizedError } from "../domain/errors.ts";
import type { Queryable } from "./client.ts";

/** A user as stored, without the password hash. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
  createdAt: Date;
  /** Moves on at each password change; tokens carry the one they were issued under. */
  tokenGeneration: number;
}

/** Creates a user; an email already taken (in any letter case) is a 409 email_taken. */
export async function insertUser(
  sql: Queryable,
  user: { name: string; email: string; passwordHash: string; now: Date },
): Promise<UserRow> {
  try {
    const [row] = await sql<UserRow[]>`
      INSERT INTO users (name, email, password_hash, created_at)
      VALUES (${user.name}, ${user.email}, ${user.passwordHash}, ${user.now})
      RETURNING id, name, email, created_at, token_generation`;
    return row;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new ConflictError("email_taken", "An account with this email already exists");
    }
    throw error;
  }
}

/** The user with this id, or undefined. */
export async function findUser(sql: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    SELECT id, name, email, created_at, token_generation FROM users WHERE id = ${id}`;
  return row;
}

/** The user and password hash for a login, matched case-insensitively, or undefined. */
export async function findLogin(
  sql: Queryable,
  email: string,
): Promise<(UserRow & { passwordHash: string }) | undefined> {
  const [row] = await sql<(UserRow & { passwordHash: string })[]>`
    SELECT id, name, email, created_at, token_generation, password_hash FROM users WHERE lower(email) = lower(${email})`;
  return row;
}

/** The user's sandbox clock: real `now` plus the user's offset. */
export async function readUserClock(
  sql: Queryable,
  userId: string,
  now: Date,
): Promise<{ now: Date; offsetSeconds: bigint }> {
  const [row] = await sql<{ offsetSeconds: bigint }[]>`
    SELECT clock_offset_seconds AS offset_seconds FROM users WHERE id = ${userId}`;
  // A valid token for a user this database does not know (e.g. after a reset) is no login.
  if (!row) throw new UnauthorizedError("The bearer token names no user of this bank");
  const offsetSeconds = row.offsetSeconds;
  return { now: new Date(now.getTime() + Number(offsetSeconds) * 1000), offsetSeconds };
}
