/**
 * Reading the events outbox as a stream: in the order events became final, never one twice,
 * never one skipped. Polled by position, one statement per poll (nothing survives between
 * statements behind PgBouncer in transaction mode, so LISTEN/NOTIFY is not used).
 */
import type { Fragment, Queryable } from "./client.ts";
import type { EventRow } from "./events.ts";

/**
 * Where a stream stands: after the event written by transaction `xact` with `seq`, ordered by
 * (xact, seq) and read only below the horizon (migrations/0018_event_stream.sql says why seq
 * alone would lose some). `since`, for a stream started "now", is the snapshot it started in:
 * what was visible then is not sent.
 */
export interface StreamPosition {
  /** A transaction id (xid8) as text. */
  xact: string;
  seq: bigint;
  since?: string;
}

/** An event with its stream position. */
export interface StreamedEvent extends EventRow {
  xact: string;
}

/**
 * The oldest transaction of this database still running (or the next to start): every event of
 * a lower transaction id is committed or rolled back for good. The snapshot's own xmin would do,
 * but it counts every database on the server; transactions seen running in another database are
 * left out. One that is not seen (it ended meanwhile, or another role's) is kept: late, not lost.
 */
function horizon(sql: Queryable): Fragment {
  return sql`(
    SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE xid(x) NOT IN (
      SELECT backend_xid FROM pg_stat_activity
      WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
    )
  )`;
}

/** The position of "now": the stream sends only events not visible at this moment. */
export async function currentPosition(sql: Queryable): Promise<StreamPosition> {
  const [row] = await sql<{ xact: string; since: string }[]>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xact,
      pg_current_snapshot()::text AS since`;
  // seq starts at 1: (xmin, 0) is before every event of the oldest transaction still running.
  return { xact: row.xact, seq: 0n, since: row.since };
}

/** The position of one of the user's events, or undefined when it is not theirs or not there. */
export async function positionOfEvent(
  sql: Queryable,
  userId: string,
  eventId: string,
): Promise<StreamPosition | undefined> {
  const [row] = await sql<StreamPosition[]>`
    SELECT xact::text AS xact, seq FROM events WHERE id = ${eventId} AND user_id = ${userId}`;
  return row;
}

/** Up to `limit` of the user's final events after `after`, in stream order. */
export async function eventsAfter(
  sql: Queryable,
  userId: string,
  after: StreamPosition,
  limit: number,
): Promise<StreamedEvent[]> {
  return await sql<StreamedEvent[]>`
    SELECT id, seq, xact::text AS xact, user_id, type, data, created_at FROM events
    WHERE user_id = ${userId}
      AND (xact, seq) > (${after.xact}::xid8, ${after.seq.toString()}::bigint)
      AND xact < ${horizon(sql)}
      ${
    after.since ? sql`AND NOT pg_visible_in_snapshot(xact, ${after.since}::pg_snapshot)` : sql``
  }
    ORDER BY xact, seq LIMIT ${limit}`;
}
