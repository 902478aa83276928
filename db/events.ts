/** The events outbox: rows written inside the transaction of the change they describe. */
import type { Queryable, Tx } from "./client.ts";

/** Event types of the public contract. */
export const EVENT_TYPES = [
  "account.created",
  "transaction.approved",
  "transaction.rejected",
  "payment.created",
  "payment.settled",
  "payment.returned",
  "hold.created",
  "hold.captured",
  "hold.voided",
  "hold.expired",
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

/** Writes events in the caller's transaction, so they commit or vanish with the change. */
export async function recordEvents(tx: Tx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => ({
    user_id: event.userId,
    type: event.type,
    data: { object: event.object },
    created_at: event.createdAt,
  }));
  await tx`INSERT INTO events ${tx(rows as never, "user_id", "type", "data", "created_at")}`;
}

/** The user's events, newest first. */
export async function listEvents(
  sql: Queryable,
  filter: { userId: string; type?: string; beforeSeq?: bigint; limit: number },
): Promise<EventRow[]> {
  return await sql<EventRow[]>`
    SELECT id, seq, user_id, type, data, created_at FROM events
    WHERE user_id = ${filter.userId}
      ${filter.type ? sql`AND type = ${filter.type}` : sql``}
      ${filter.beforeSeq !== undefined ? sql`AND seq < ${filter.beforeSeq}` : sql``}
    ORDER BY seq DESC LIMIT ${filter.limit}`;
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
