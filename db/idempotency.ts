/**
 * Idempotency-Key records (IETF draft "The Idempotency-Key HTTP Header Field"). A request claims
 * its key before it runs; the movement's own transaction completes the claim with the response,
 * so the money and the record commit together or not at all. A key's lifetime is on its owner's
 * sandbox clock (advancing the clock a day forgets it); a claim's lease is on real time, since it
 * times out a request in progress. Real time is handed in (`realNow`).
 */
import { ConflictError, RefusedError } from "../domain/errors.ts";
import type { Sql, Tx } from "./client.ts";
import { retryingConnectionFailures } from "./connection_failures.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** How long a key is remembered, on its owner's sandbox clock. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;
/**
 * How long a claim holds, in real time, before a retry may take it over: the request timeout
 * (REQUEST_TIMEOUT_MS in app.ts; tests/routes/idempotency_test.ts holds the two equal). By then
 * the request that claimed the key has been answered (a 503 at the latest) and its movement can
 * no longer commit (it sends COMMIT by the request's `commitBy`, a second earlier), so the retry
 * runs nothing in parallel with it. It matters when a claim outlives its request: the database
 * went away before the request could give its key back (a failover: the release meets no
 * primary), or the claim's own INSERT landed but its answer was lost. Either way the key is free
 * again a request timeout after it was claimed. A retry that takes over while the first request's
 * transaction is still open cannot post twice: completeIdempotencyKey matches the claim's token.
 */
export const IDEMPOTENCY_CLAIM_SECONDS = 10;

/** A claim on a key that this request now holds. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  token: string;
}

/** A response stored for replay. */
export interface StoredResponse {
  status: number;
  body: string;
}

/** What claiming a key found: it is ours to run, or a stored response to replay. */
export type ClaimOutcome =
  | { kind: "claimed"; claim: IdempotencyClaim }
  | { kind: "replay"; response: StoredResponse };

/**
 * Claims `key` for this request, or finds what an earlier request with it did. The same key with
 * another fingerprint is a 422; one still in flight is a 409.
 */
export async function claimIdempotencyKey(
  sql: Sql,
  request: { userId: string; key: string; fingerprint: string; realNow: Date },
): Promise<ClaimOutcome> {
  const token = crypto.randomUUID();
  const realNow = request.realNow;
  // Twice at most: a key released between our insert and our read is simply free again.
  for (let attempt = 0; attempt < 2; attempt++) {
    // Re-run after a connection failure: the claim is ours again if that try's insert landed.
    // created_at is the owner's clock now; an expired key is free unless a live request holds it.
    const claimed = await retryingConnectionFailures(() =>
      sql`
      INSERT INTO idempotency_keys (user_id, key, fingerprint, state, claim_token, locked_until,
                                    created_at, expires_at)
      SELECT ${request.userId}, ${request.key}, ${request.fingerprint}, 'in_flight', ${token},
             ${realNow}::timestamptz + ${IDEMPOTENCY_CLAIM_SECONDS} * interval '1 second',
             owner.now, owner.now + ${IDEMPOTENCY_KEY_TTL_SECONDS} * interval '1 second'
      FROM (SELECT ${sandboxNowSql(sql, sql`${realNow}::timestamptz`, sql`users`)} AS now
            FROM users WHERE id = ${request.userId}) owner
      ON CONFLICT (user_id, key) DO UPDATE SET
        fingerprint = EXCLUDED.fingerprint, state = 'in_flight', claim_token = EXCLUDED.claim_token,
        locked_until = EXCLUDED.locked_until, response_status = NULL, response_body = NULL,
        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE (idempotency_keys.expires_at < EXCLUDED.created_at
             AND NOT (idempotency_keys.state = 'in_flight'
                      AND idempotency_keys.locked_until >= ${realNow}::timestamptz))
         OR (idempotency_keys.state = 'in_flight'
             AND idempotency_keys.locked_until < ${realNow}::timestamptz
             AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
         OR (idempotency_keys.state = 'in_flight'
             AND idempotency_keys.claim_token = EXCLUDED.claim_token)
      RETURNING key`
    );
    if (claimed.length === 1) {
      return { kind: "claimed", claim: { userId: request.userId, key: request.key, token } };
    }
    const [existing] = await retryingConnectionFailures(() =>
      sql<{ fingerprint: string; state: string; responseStatus: number; responseBody: string }[]>`
        SELECT fingerprint, state, response_status, response_body FROM idempotency_keys
        WHERE user_id = ${request.userId} AND key = ${request.key}`
    );
    if (!existing) continue;
    if (existing.fingerprint !== request.fingerprint) {
      throw new RefusedError(
        "idempotency_key_reused",
        "This Idempotency-Key was used with a different request; use a new key",
        undefined,
        "idempotency_key_reused",
      );
    }
    if (existing.state === "in_flight") {
      throw new ConflictError(
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry shortly",
      );
    }
    return {
      kind: "replay",
      response: { status: existing.responseStatus, body: existing.responseBody },
    };
  }
  throw new ConflictError(
    "idempotency_key_in_flight",
    "A request with this Idempotency-Key is changing state; retry shortly",
  );
}

/**
 * Stores the response on the claim, inside the movement's transaction. If the claim was taken
 * over meanwhile, the movement must not commit: this throws and the transaction rolls back.
 */
export async function completeIdempotencyKey(
  tx: Tx,
  claim: IdempotencyClaim,
  response: StoredResponse,
): Promise<void> {
  const updated = await tx`
    UPDATE idempotency_keys
    SET state = 'completed', response_status = ${response.status}, response_body = ${response.body}
    WHERE user_id = ${claim.userId} AND key = ${claim.key} AND claim_token = ${claim.token}
      AND state = 'in_flight'
    RETURNING key`;
  if (updated.length !== 1) {
    throw new ConflictError(
      "idempotency_key_in_flight",
      "This request's Idempotency-Key claim expired and was taken by a retry",
    );
  }
}

/**
 * Gives the key back when the request ended without recording anything (e.g. a 400 or 404).
 * Re-run after a connection failure: deleting our own in-flight claim twice is deleting it once,
 * and a claim completed meanwhile (a COMMIT that did land) is never deleted.
 */
export async function releaseIdempotencyKey(sql: Sql, claim: IdempotencyClaim): Promise<void> {
  await retryingConnectionFailures(() =>
    sql`
    DELETE FROM idempotency_keys
    WHERE user_id = ${claim.userId} AND key = ${claim.key} AND claim_token = ${claim.token}
      AND state = 'in_flight'`
  );
}

/** Forgets keys expired at `realNow` on their owners' clocks, but no live claim; returns how many. */
export async function purgeExpiredIdempotencyKeys(sql: Sql, realNow: Date): Promise<number> {
  const rows = await sql`
    DELETE FROM idempotency_keys k USING users u
    WHERE u.id = k.user_id
      AND k.expires_at < ${sandboxNowSql(sql, sql`${realNow}::timestamptz`)}
      AND NOT (k.state = 'in_flight' AND k.locked_until >= ${realNow}::timestamptz)
    RETURNING k.key`;
  return rows.length;
}
