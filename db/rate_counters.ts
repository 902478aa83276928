/**
 * Fixed-window counters (rate_counters) behind every abuse limit, shared through the database.
 * Arrays go in as plain parameters with a cast, never `sql.array()`: postgres.js 3.4.9 sends an
 * `sql.array()` as a bare string ("malformed array literal") when it is the first query of the
 * process, before the array types are fetched — a login right after a restart answered 500.
 */
import type { RateCount, RateKey } from "../domain/abuse_limits.ts";
import type { Queryable } from "./client.ts";

/**
 * Counts one hit against each key and returns every key's count in its current window. One
 * statement: concurrent hits on a key are serialised by its row, so each sees a distinct count
 * and no burst can pass a limit unseen. A window that has ended starts again at `now`.
 */
export async function countHits(sql: Queryable, keys: RateKey[], now: Date): Promise<RateCount[]> {
  if (keys.length === 0) return [];
  const rows = await sql<{ rule: string; subject: string; hits: number; windowEndsAt: Date }[]>`
    INSERT INTO rate_counters AS c (rule, subject, window_started_at, window_seconds, hits)
    SELECT k.rule, k.subject, ${now}::timestamptz, k.window_seconds, 1
    FROM unnest(${keys.map((k) => k.rule)}::text[],
                ${keys.map((k) => k.subject)}::text[],
                ${keys.map((k) => k.windowSeconds)}::int[])
      AS k (rule, subject, window_seconds)
    ON CONFLICT (rule, subject) DO UPDATE SET
      hits = CASE WHEN c.window_started_at + c.window_seconds * interval '1 second' <= ${now}
                  THEN 1 ELSE c.hits + 1 END,
      window_started_at = CASE
                  WHEN c.window_started_at + c.window_seconds * interval '1 second' <= ${now}
                  THEN ${now}::timestamptz ELSE c.window_started_at END,
      window_seconds = excluded.window_seconds
    RETURNING c.rule, c.subject, c.hits,
              c.window_started_at + c.window_seconds * interval '1 second' AS window_ends_at`;
  return keys.map((key) => {
    const row = rows.find((r) => r.rule === key.rule && r.subject === key.subject);
    if (!row) throw new Error(`countHits: no count returned for ${key.rule}`);
    return { key, hits: row.hits, windowEndsAt: row.windowEndsAt };
  });
}

/** Takes one hit back from each key (the attempt proved legitimate); never below zero. */
export async function refundHits(sql: Queryable, keys: RateKey[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    UPDATE rate_counters SET hits = greatest(hits - 1, 0)
    WHERE (rule, subject) IN (
      SELECT * FROM unnest(${keys.map((k) => k.rule)}::text[],
                           ${keys.map((k) => k.subject)}::text[]))`;
}

/** Forgets the keys' counts altogether. */
export async function forgetHits(sql: Queryable, keys: RateKey[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    DELETE FROM rate_counters
    WHERE (rule, subject) IN (
      SELECT * FROM unnest(${keys.map((k) => k.rule)}::text[],
                           ${keys.map((k) => k.subject)}::text[]))`;
}

/** Deletes counters whose window ended before `now` (housekeeping); returns how many. */
export async function purgeEndedRateCounters(sql: Queryable, now: Date): Promise<number> {
  const rows = await sql`
    DELETE FROM rate_counters
    WHERE window_started_at + window_seconds * interval '1 second' < ${now}
    RETURNING 1`;
  return rows.length;
}
