/** API keys: creation, listing, revocation, and authentication by digest. */
import type { Queryable } from "./client.ts";

/** How stale `last_used_at` may get before a request refreshes it: at most one write a minute. */
export const LAST_USED_REFRESH_SECONDS = 60;
/** Active keys a user may hold at once. */
export const API_KEYS_PER_USER_MAX = 20;

/** An API key as stored, without its digest. */
export interface ApiKeyRow {
  id: string;
  userId: string;
  name: string;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLUMNS = "id, user_id, name, key_prefix, created_at, last_used_at";

/** Stores a new key by its digest; undefined when the user already holds the maximum. */
export async function insertApiKey(
  sql: Queryable,
  key: { userId: string; name: string; keyPrefix: string; keyHash: string; now: Date },
): Promise<ApiKeyRow | undefined> {
  // The count and the insert in one statement; a race past the limit by one is harmless.
  const [row] = await sql<ApiKeyRow[]>`
    INSERT INTO api_keys (user_id, name, key_prefix, key_hash, created_at)
    SELECT ${key.userId}, ${key.name}, ${key.keyPrefix}, ${key.keyHash}, ${key.now}
    WHERE (SELECT count(*) FROM api_keys
           WHERE user_id = ${key.userId} AND revoked_at IS NULL) < ${API_KEYS_PER_USER_MAX}
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return row;
}

/** The user's active keys, oldest first. */
export async function listApiKeys(sql: Queryable, userId: string): Promise<ApiKeyRow[]> {
  return await sql<ApiKeyRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM api_keys
    WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at, id`;
}

/** Revokes the user's key; false when there is no such active key of theirs. */
export async function revokeApiKey(
  sql: Queryable,
  userId: string,
  keyId: string,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    UPDATE api_keys SET revoked_at = ${now}
    WHERE id = ${keyId} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`;
  return rows.length === 1;
}

/**
 * The owner of the active key with this digest, or undefined. Read from the database on every
 * request, so a revocation on any instance counts at once; `last_used_at` is written only when it
 * is older than LAST_USED_REFRESH_SECONDS, in the same round trip.
 */
export async function authenticateApiKey(
  sql: Queryable,
  keyHash: string,
  now: Date,
): Promise<string | undefined> {
  const [row] = await sql<{ userId: string }[]>`
    WITH found AS (
      SELECT id, user_id, last_used_at FROM api_keys
      WHERE key_hash = ${keyHash} AND revoked_at IS NULL
    ), touched AS (
      UPDATE api_keys SET last_used_at = ${now}
      WHERE id = (SELECT id FROM found)
        AND (last_used_at IS NULL
             OR last_used_at < ${now}::timestamptz - ${LAST_USED_REFRESH_SECONDS} * interval '1 second')
    )
    SELECT user_id FROM found`;
  return row?.userId;
}
