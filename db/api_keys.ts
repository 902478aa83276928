/** API keys: creation, listing, revocation, and authentication by digest. */
import type { ApiKeyScope } from "../domain/api_keys.ts";
import type { Fragment, Queryable } from "./client.ts";

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
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  /** The keys that made this one, oldest first; it works only while all of them do. */
  ancestorKeyIds: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLUMNS =
  "id, user_id, name, key_prefix, scopes, expires_at, ancestor_key_ids, created_at, last_used_at";

// A key counts while it, and every key that made it, is neither revoked nor expired at `now`;
// `k` is the key's alias in the query this is spliced into.
function activeKeySql(sql: Queryable, now: Date): Fragment {
  return sql`k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ${now})
    AND NOT EXISTS (
      SELECT 1 FROM api_keys a WHERE a.id = ANY (k.ancestor_key_ids)
        AND (a.revoked_at IS NOT NULL OR a.expires_at <= ${now}))`;
}

/** Stores a new key by its digest; undefined when the user already holds the maximum. */
export async function insertApiKey(
  sql: Queryable,
  key: {
    userId: string;
    name: string;
    keyPrefix: string;
    keyHash: string;
    scopes: readonly ApiKeyScope[];
    expiresAt: Date | null;
    ancestorKeyIds: readonly string[];
    now: Date;
  },
): Promise<ApiKeyRow | undefined> {
  // The count and the insert in one statement; a race past the limit by one is harmless.
  const [row] = await sql<ApiKeyRow[]>`
    INSERT INTO api_keys
      (user_id, name, key_prefix, key_hash, scopes, expires_at, ancestor_key_ids, created_at)
    SELECT ${key.userId}, ${key.name}, ${key.keyPrefix}, ${key.keyHash}, ${key.scopes}::text[],
      ${key.expiresAt}, ${key.ancestorKeyIds}::uuid[], ${key.now}
    WHERE (SELECT count(*) FROM api_keys k
           WHERE k.user_id = ${key.userId} AND ${
    activeKeySql(sql, key.now)
  }) < ${API_KEYS_PER_USER_MAX}
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return row;
}

/** The user's active keys (not revoked, not expired, nor made by one that is), oldest first. */
export async function listApiKeys(
  sql: Queryable,
  userId: string,
  now: Date,
): Promise<ApiKeyRow[]> {
  return await sql<ApiKeyRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM api_keys k
    WHERE k.user_id = ${userId} AND ${activeKeySql(sql, now)}
    ORDER BY k.created_at, k.id`;
}

/**
 * Revokes the user's key and every key it made, directly or through others; false when there is
 * no such unrevoked key of theirs. Those made later, in a race, are refused anyway (activeKeySql).
 */
export async function revokeApiKey(
  sql: Queryable,
  userId: string,
  keyId: string,
  now: Date,
): Promise<boolean> {
  const rows = await sql<{ id: string }[]>`
    UPDATE api_keys SET revoked_at = ${now}
    WHERE user_id = ${userId} AND revoked_at IS NULL
      AND (id = ${keyId} OR ${keyId}::uuid = ANY (ancestor_key_ids))
      AND EXISTS (
        SELECT 1 FROM api_keys t
        WHERE t.id = ${keyId} AND t.user_id = ${userId} AND t.revoked_at IS NULL
      )
    RETURNING id`;
  return rows.some((row) => row.id === keyId);
}

/** The key a request authenticated with: who owns it and what it may do. */
export interface AuthenticatedKey {
  id: string;
  userId: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  ancestorKeyIds: string[];
}

/**
 * The active key with this digest, or undefined. Read from the database on every request, so a
 * revocation on any instance (of the key or of any key that made it) counts at once;
 * `last_used_at` is written only when older than LAST_USED_REFRESH_SECONDS, in the same round trip.
 */
export async function authenticateApiKey(
  sql: Queryable,
  keyHash: string,
  now: Date,
): Promise<AuthenticatedKey | undefined> {
  const [row] = await sql<AuthenticatedKey[]>`
    WITH found AS (
      SELECT k.id, k.user_id, k.scopes, k.expires_at, k.ancestor_key_ids FROM api_keys k
      WHERE k.key_hash = ${keyHash} AND ${activeKeySql(sql, now)}
    ), touched AS (
      UPDATE api_keys SET last_used_at = ${now}
      WHERE id = (SELECT id FROM found)
        AND (last_used_at IS NULL
             OR last_used_at < ${now}::timestamptz - ${LAST_USED_REFRESH_SECONDS} * interval '1 second')
    )
    SELECT id, user_id, scopes, expires_at, ancestor_key_ids FROM found`;
  return row;
}
