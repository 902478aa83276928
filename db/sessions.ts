/** Access-token sessions: the per-request liveness check, sign-out, and password change. */
import type { Queryable } from "./client.ts";
import { coalescedReads } from "./coalesced_reads.ts";
import { retryingConnectionFailures } from "./connection_failures.ts";

/** Expired revocations one sign-out deletes in passing: the table stays small with no job. */
const REVOCATIONS_PURGED_MAX = 100;

/** A token's session, as its signature proved it: whose, which session, which generation. */
export interface SessionToken {
  userId: string;
  sessionId: string;
  generation: number;
}

/**
 * The most sessions one look-up asks after; past it the rest wait for the next look-up.
 */
const SESSION_CHECKS_PER_QUERY_MAX = 256;

type LiveUser = { id: string; name: string };

/** Each pool's coalesced session checks. */
const sessionChecks = new WeakMap<
  Queryable,
  (token: SessionToken) => Promise<LiveUser | undefined>
>();

/**
 * The user a token names, when the token still counts: the user exists, the token's generation is
 * the user's current one (no password change since), and its session was not signed out. Asked on
 * every request on every instance, so a revocation anywhere counts at once; undefined otherwise.
 * Checks asked while another is in the database go together in the next one (coalesced_reads.ts):
 * each still starts after its request arrived, so it sees every sign-out committed before it.
 */
export function findLiveSessionUser(
  sql: Queryable,
  token: SessionToken,
): Promise<LiveUser | undefined> {
  let check = sessionChecks.get(sql);
  if (!check) {
    check = coalescedReads(
      (tokens) => liveSessions(sql, tokens),
      sessionKey,
      SESSION_CHECKS_PER_QUERY_MAX,
    );
    sessionChecks.set(sql, check);
  }
  return check(token);
}

const sessionKey = (token: SessionToken) =>
  `${token.userId} ${token.sessionId} ${token.generation}`;

/** Of `tokens`, those whose session still counts, by sessionKey, with their user. */
async function liveSessions(
  sql: Queryable,
  distinct: SessionToken[],
): Promise<Map<string, LiveUser>> {
  // A read, run before every request: after a database restart a pooled connection may fail its
  // first query once (porsager/postgres#1223), which must not turn into the request's 503.
  const rows = await retryingConnectionFailures(() =>
    sql<{ id: string; name: string; sid: string; generation: number }[]>`
      SELECT u.id, u.name, t.sid, t.generation
      FROM unnest(
        ${distinct.map((t) => t.userId)}::uuid[], ${distinct.map((t) => t.sessionId)}::uuid[],
        ${distinct.map((t) => t.generation)}::int[]
      ) AS t (user_id, sid, generation)
      -- Two primary-key look-ups per token, whatever the planner guesses of t.
      JOIN users u ON u.id = t.user_id AND u.token_generation = t.generation
      WHERE u.id = ANY(${distinct.map((t) => t.userId)}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.sid = t.sid)`
  );
  return new Map(
    rows.map((row) => [
      sessionKey({ userId: row.id, sessionId: row.sid, generation: row.generation }),
      { id: row.id, name: row.name },
    ]),
  );
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
