/** Access-token sessions: the per-request liveness check, sign-out, and password change. */
import type { Queryable } from "./client.ts";
import { retryingConnectionFailures } from "./connection_failures.ts";

/** Expired revocations one sign-out deletes in passing: the table stays small with no job. */
const REVOCATIONS_PURGED_MAX = 100;

/**
 * The user a token names, when the token still counts: the user exists, the token's generation is
 * the user's current one (no password change since), and its session was not signed out. One
 * round trip of two primary-key look-ups, asked on every request on every instance, so a
 * revocation anywhere counts at once; undefined otherwise.
 */
export async function findLiveSessionUser(
  sql: Queryable,
  token: { userId: string; sessionId: string; generation: number },
): Promise<{ id: string; name: string } | undefined> {
  // A read, run before every request: after a database restart a pooled connection may fail its
  // first query once (porsager/postgres#1223), which must not turn into the request's 503.
  const [row] = await retryingConnectionFailures(() =>
    sql<{ id: string; name: string }[]>`
      SELECT u.id, u.name FROM users u
      WHERE u.id = ${token.userId} AND u.token_generation = ${token.generation}
        AND NOT EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.sid = ${token.sessionId})`
  );
  return row;
}

/** Signs a session out until `expiresAt`; a session signed out twice keeps its first record. */
export async function revokeSession(
  sql: Queryable,
  session: { userId: string; sessionId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await sql`
    WITH purged AS (
      DELETE FROM revoked_sessions WHERE sid IN (
        SELECT sid FROM revoked_sessions WHERE expires_at < ${session.now}
        ORDER BY expires_at LIMIT ${REVOCATIONS_PURGED_MAX}
      )
    )
    INSERT INTO revoked_sessions (sid, user_id, revoked_at, expires_at)
    VALUES (${session.sessionId}, ${session.userId}, ${session.now}, ${session.expiresAt})
    ON CONFLICT (sid) DO NOTHING`;
}

/**
 * Replaces the password hash and moves the token generation on, so every token issued before is
 * refused; only while the generation is still `generation` (the caller's token's), so of two
 * changes made with one token only the first happens. False when it did not.
 */
export async function changePasswordHash(
  sql: Queryable,
  user: { id: string; generation: number; passwordHash: string },
): Promise<boolean> {
  const rows = await sql`
    UPDATE users SET password_hash = ${user.passwordHash}, token_generation = token_generation + 1
    WHERE id = ${user.id} AND token_generation = ${user.generation} RETURNING id`;
  return rows.length === 1;
}
