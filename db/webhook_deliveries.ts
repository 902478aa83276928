/**
 * Webhook deliveries: the queue the delivery worker drains. A row is due when pending and its
 * next_attempt_at has passed; a worker claims rows with FOR UPDATE SKIP LOCKED and a lease, so
 * several instances share the queue without sending one attempt twice, and a worker that dies
 * mid-delivery only delays it until the lease runs out. next_attempt_at and attempted_at are on the
 * event owner's sandbox clock (real time + users.clock_offset_seconds), so advancing that clock
 * makes retries fall due; leases are on real time, since they time out worker processes.
 * Real time is always handed in (`realNow`).
 */
import type { AttemptOutcome } from "../domain/webhooks.ts";
import type { Queryable, Sql } from "./client.ts";
import { type SeqWindow, seqWindowOrder, seqWindowWhere } from "./seq_window.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** One attempt as recorded. */
export interface AttemptRow {
  attempt: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

/** A delivery with the event it carries and every attempt so far. */
export interface DeliveryRow {
  id: string;
  seq: bigint;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  attemptLog: AttemptRow[];
}

/** The endpoint's deliveries, newest first (oldest first after `afterSeq`), with their attempts. */
export async function listDeliveries(
  sql: Queryable,
  filter: { endpointId: string; limit: number } & SeqWindow,
): Promise<DeliveryRow[]> {
  const rows = await sql<(Omit<DeliveryRow, "attemptLog"> & { attemptLog: RawAttempt[] })[]>`
    SELECT d.id, d.seq, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts,
           d.response_status, d.error, d.duration_ms, d.created_at, d.next_attempt_at,
           coalesce((SELECT json_agg(json_build_object(
                       'attempt', a.attempt, 'response_status', a.response_status,
                       'error', a.error, 'duration_ms', a.duration_ms,
                       'attempted_at', a.attempted_at) ORDER BY a.attempt)
                     FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
    FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.endpoint_id = ${filter.endpointId}
      ${seqWindowWhere(sql, sql`d.seq`, filter)}
    ${seqWindowOrder(sql, sql`d.seq`, filter)} LIMIT ${filter.limit}`;
  return rows.map((row) => ({
    ...row,
    attemptLog: row.attemptLog.map((raw) => ({
      attempt: raw.attempt,
      responseStatus: raw.response_status,
      error: raw.error,
      durationMs: raw.duration_ms,
      attemptedAt: new Date(raw.attempted_at),
    })),
  }));
}

interface RawAttempt {
  attempt: number;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
}

/**
 * Queues the user's event again to each of their enabled endpoints that take its type, or only to
 * `endpointId` when given (the dashboard's "send test event").
 */
export async function redeliverEvent(
  sql: Queryable,
  userId: string,
  eventId: string,
  options: { realNow: Date; endpointId?: string },
): Promise<number> {
  const rows = await sql`
    INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at, created_at)
    SELECT w.id, e.id, owner.now, owner.now
    FROM events e JOIN webhook_endpoints w ON w.user_id = e.user_id AND w.enabled
      AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
    CROSS JOIN LATERAL (
      SELECT ${sandboxNowSql(sql, sql`${options.realNow}::timestamptz`)} AS now
      FROM users u WHERE u.id = e.user_id
    ) owner
    WHERE e.id = ${eventId} AND e.user_id = ${userId}
      ${options.endpointId ? sql`AND w.id = ${options.endpointId}` : sql``}
    RETURNING id`;
  return rows.length;
}

/** A delivery a worker holds: what to send, where, and the lease that makes its result count. */
export interface ClaimedDelivery {
  id: string;
  leaseToken: string;
  /** The number this attempt will have (1 for the first). */
  attempt: number;
  url: string;
  secret: string;
  event: { id: string; type: string; createdAt: Date; data: unknown };
}

/**
 * Claims up to `limit` deliveries of enabled endpoints due at `realNow` on their owner's clock, for
 * `leaseMs` of real time. One statement: rows another worker has locked are skipped, and rows it
 * has just leased no longer match. Oldest due first, in real time (owners' clocks differ).
 */
export async function claimDueDeliveries(
  sql: Sql,
  options: { limit: number; leaseMs: number; realNow: Date },
): Promise<ClaimedDelivery[]> {
  const rows = await sql<
    (Omit<ClaimedDelivery, "event"> & {
      eventId: string;
      eventType: string;
      eventCreatedAt: Date;
      eventData: unknown;
    })[]
  >`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
        JOIN users u ON u.id = w.user_id
      WHERE d.status = 'pending' AND w.enabled
        AND d.next_attempt_at <= ${sandboxNowSql(sql, sql`${options.realNow}::timestamptz`)}
        AND (d.locked_until IS NULL OR d.locked_until < ${options.realNow}::timestamptz)
      ORDER BY d.next_attempt_at - u.clock_offset_seconds * interval '1 second'
      LIMIT ${options.limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET locked_until = ${options.realNow}::timestamptz
                       + ${options.leaseMs} * interval '1 millisecond',
        lease_token = gen_random_uuid()
    FROM due, webhook_endpoints w, events e
    WHERE d.id = due.id AND w.id = d.endpoint_id AND e.id = d.event_id
    RETURNING d.id, d.lease_token, d.attempts + 1 AS attempt, w.url, w.secret,
              e.id AS event_id, e.type AS event_type, e.created_at AS event_created_at,
              e.data AS event_data`;
  return rows.map((row) => ({
    id: row.id,
    leaseToken: row.leaseToken,
    attempt: row.attempt,
    url: row.url,
    secret: row.secret,
    event: {
      id: row.eventId,
      type: row.eventType,
      createdAt: row.eventCreatedAt,
      data: row.eventData,
    },
  }));
}

/** What one attempt sent and got back (the response part when a response came). */
export interface AttemptExchange {
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

/** What one attempt found. */
export interface AttemptResult {
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  exchange?: AttemptExchange;
}

/**
 * Records an attempt made at `realNow` and its consequence, if the lease is still this worker's:
 * false when another worker took the delivery over (the attempt is then not counted twice). The
 * attempt's time and the retry's are on the event owner's clock.
 */
export async function recordAttempt(
  sql: Sql,
  claim: { id: string; leaseToken: string; attempt: number },
  attempt: { result: AttemptResult; outcome: AttemptOutcome; realNow: Date },
): Promise<boolean> {
  const { result, outcome } = attempt;
  const exchange = result.exchange;
  const retryInMs = outcome.status === "pending" ? outcome.retryInMs : null;
  const rows = await sql`
    WITH owner AS (
      SELECT ${sandboxNowSql(sql, sql`${attempt.realNow}::timestamptz`)} AS now
      FROM webhook_deliveries d JOIN events e ON e.id = d.event_id JOIN users u ON u.id = e.user_id
      WHERE d.id = ${claim.id}
    ), delivery AS (
      UPDATE webhook_deliveries SET
        status = ${outcome.status},
        attempts = ${claim.attempt},
        response_status = ${result.responseStatus},
        error = ${result.error},
        duration_ms = ${result.durationMs},
        next_attempt_at = CASE WHEN ${retryInMs}::bigint IS NULL THEN NULL
          ELSE (SELECT now FROM owner) + ${retryInMs}::bigint * interval '1 millisecond' END,
        locked_until = NULL,
        lease_token = NULL
      WHERE id = ${claim.id} AND lease_token = ${claim.leaseToken}
      RETURNING id
    )
    INSERT INTO webhook_delivery_attempts (delivery_id, attempt, response_status, error,
                                           duration_ms, attempted_at, request_headers,
                                           request_body, response_headers, response_body)
    SELECT id, ${claim.attempt}, ${result.responseStatus}, ${result.error}, ${result.durationMs},
           (SELECT now FROM owner), ${jsonText(exchange?.requestHeaders)}::text::jsonb,
           ${exchange?.requestBody ?? null}, ${jsonText(exchange?.responseHeaders)}::text::jsonb,
           ${exchange?.responseBody ?? null}
    FROM delivery
    RETURNING delivery_id`;
  return rows.length === 1;
}

function jsonText(value: Record<string, string> | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** One attempt with what it sent and received, for the delivery's page. */
export interface AttemptDetail extends AttemptRow {
  requestHeaders: Record<string, string> | null;
  requestBody: string | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
}

/** A delivery of the user's (through its endpoint), with its endpoint's URL and every attempt. */
export async function findDelivery(
  sql: Queryable,
  userId: string,
  deliveryId: string,
): Promise<
  (Omit<DeliveryRow, "attemptLog"> & { url: string; attemptLog: AttemptDetail[] }) | undefined
> {
  const [row] = await sql<(Omit<DeliveryRow, "attemptLog"> & { url: string })[]>`
    SELECT d.id, d.seq, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts,
           d.response_status, d.error, d.duration_ms, d.created_at, d.next_attempt_at, w.url
    FROM webhook_deliveries d
    JOIN webhook_endpoints w ON w.id = d.endpoint_id
    JOIN events e ON e.id = d.event_id
    WHERE d.id = ${deliveryId} AND w.user_id = ${userId}`;
  if (!row) return undefined;
  const attemptLog = await sql<AttemptDetail[]>`
    SELECT attempt, response_status, error, duration_ms, attempted_at, request_headers,
           request_body, response_headers, response_body
    FROM webhook_delivery_attempts WHERE delivery_id = ${deliveryId} ORDER BY attempt`;
  return { ...row, attemptLog };
}
