/** The events outbox: rows written inside the transaction of the change they describe. */
import type { Fragment, Queryable, Tx } from "./client.ts";
import { seqWindowOrder, seqWindowWhere } from "./seq_window.ts";

/** Event types of the public contract. */
export const EVENT_TYPES = [
  "account.created",
  "account.frozen",
  "account.unfrozen",
  "account.closed",
  "transaction.approved",
  "transaction.rejected",
  "payment.created",
  "payment.settled",
  "payment.returned",
  "hold.created",
  "hold.captured",
  "hold.voided",
  "hold.expired",
  "card.created",
  "card_authorization.created",
  "card_authorization.declined",
  "card_authorization.captured",
  "card_authorization.reversed",
  "card_authorization.refunded",
  "card_authorization.expired",
  "payment_schedule.created",
  "payment_schedule.run",
  "payment_schedule.run_failed",
  "payment_schedule.completed",
  "payment_schedule.cancelled",
  "debit_order.created",
  "debit_order.collected",
  "debit_order.failed",
  "debit_order.reversed",
  "batch.completed",
] as const;
export type EventType = typeof EVENT_TYPES[number];

/** An event to write: for one user, about one object. */
export interface NewEvent {
  userId: string;
  type: EventType;
  object: unknown;
  createdAt: Date;
}

/** An event as stored. */
export interface EventRow {
  id: string;
  seq: bigint;
  userId: string;
  type: EventType;
  data: { object: unknown };
  createdAt: Date;
}

/**
 * Writes events in the caller's transaction, so they commit or vanish with the change, and queues
 * their webhook deliveries in the same statement.
 */
export async function recordEvents(tx: Tx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx`
    WITH written AS (
      INSERT INTO events (user_id, type, data, created_at)
      SELECT user_id, type, data, created_at FROM unnest(
        ${events.map((event) => event.userId)}::uuid[],
        ${events.map((event) => event.type)}::text[],
        ${events.map((event) => JSON.stringify({ object: event.object }))}::text[]::jsonb[],
        ${events.map((event) => event.createdAt.toISOString())}::timestamptz[]
      ) WITH ORDINALITY AS e (user_id, type, data, created_at, position)
      ORDER BY position
      RETURNING id, user_id, type, created_at
    )
    ${queueDeliveriesSql(tx, tx`written`)}`;
}

/**
 * Queues a delivery of each event in `written` (rows of id, user_id, type, created_at just
 * inserted) to each of its owner's enabled endpoints that takes its type. The first attempt is due
 * at the event's own time, on its owner's sandbox clock: the clock its retries are scheduled on.
 * The one place deliveries are queued for new events; the writers splice it into their statement.
 */
export function queueDeliveriesSql(tx: Tx, written: Fragment): Fragment {
  return tx`
    INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at, created_at)
    SELECT w.id, e.id, e.created_at, e.created_at
    FROM ${written} e
    JOIN webhook_endpoints w ON w.user_id = e.user_id AND w.enabled
      AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))`;
}

/** The user's events, newest first (oldest first after `afterSeq`, a page's "Newer" link). */
export async function listEvents(
  sql: Queryable,
  filter: { userId: string; type?: string; beforeSeq?: bigint; afterSeq?: bigint; limit: number },
): Promise<EventRow[]> {
  return await sql<EventRow[]>`
    SELECT id, seq, user_id, type, data, created_at FROM events
    WHERE user_id = ${filter.userId}
      ${filter.type ? sql`AND type = ${filter.type}` : sql``}
      ${seqWindowWhere(sql, sql`seq`, filter)}
    ${seqWindowOrder(sql, sql`seq`, filter)} LIMIT ${filter.limit}`;
}

/** One of the user's events, or undefined. */
export async function findEvent(
  sql: Queryable,
  userId: string,
  eventId: string,
): Promise<EventRow | undefined> {
  const [row] = await sql<EventRow[]>`
    SELECT id, seq, user_id, type, data, created_at FROM events
    WHERE id = ${eventId} AND user_id = ${userId}`;
  return row;
}
