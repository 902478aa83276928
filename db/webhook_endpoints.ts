/** Webhook endpoints: owner-scoped CRUD. Deliveries are queued by a trigger (migration 0003). */
import type { Queryable } from "./client.ts";

/** Endpoints a user may have at once. */
export const WEBHOOK_ENDPOINTS_PER_USER_MAX = 16;

/** An endpoint as stored. */
export interface WebhookEndpointRow {
  id: string;
  userId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates an endpoint; undefined when the user already has the maximum. */
export async function insertWebhookEndpoint(
  sql: Queryable,
  endpoint: {
    userId: string;
    url: string;
    eventTypes: string[];
    description: string | null;
    secret: string;
    now: Date;
  },
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql<WebhookEndpointRow[]>`
    INSERT INTO webhook_endpoints (user_id, url, event_types, description, secret, created_at,
                                   updated_at)
    SELECT ${endpoint.userId}, ${endpoint.url}, ${endpoint.eventTypes}::text[],
           ${endpoint.description}, ${endpoint.secret}, ${endpoint.now}, ${endpoint.now}
    WHERE (SELECT count(*) FROM webhook_endpoints WHERE user_id = ${endpoint.userId})
          < ${WEBHOOK_ENDPOINTS_PER_USER_MAX}
    RETURNING *`;
  return row;
}

/** The user's endpoints, oldest first. */
export async function listWebhookEndpoints(
  sql: Queryable,
  userId: string,
): Promise<WebhookEndpointRow[]> {
  return await sql<WebhookEndpointRow[]>`
    SELECT * FROM webhook_endpoints WHERE user_id = ${userId} ORDER BY created_at, id`;
}

/** The user's endpoint, or undefined (another user's is the same as none). */
export async function findWebhookEndpoint(
  sql: Queryable,
  userId: string,
  endpointId: string,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql<WebhookEndpointRow[]>`
    SELECT * FROM webhook_endpoints WHERE id = ${endpointId} AND user_id = ${userId}`;
  return row;
}

/** Changes the given fields of the user's endpoint; undefined when there is no such endpoint. */
export async function updateWebhookEndpoint(
  sql: Queryable,
  target: { userId: string; endpointId: string; now: Date },
  changes: { url?: string; eventTypes?: string[]; description?: string | null; enabled?: boolean },
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql<WebhookEndpointRow[]>`
    UPDATE webhook_endpoints SET
      url = coalesce(${changes.url ?? null}, url),
      event_types = coalesce(${changes.eventTypes ?? null}::text[], event_types),
      description = CASE WHEN ${changes.description !== undefined}
                         THEN ${changes.description ?? null} ELSE description END,
      enabled = coalesce(${changes.enabled ?? null}::boolean, enabled),
      updated_at = ${target.now}
    WHERE id = ${target.endpointId} AND user_id = ${target.userId}
    RETURNING *`;
  return row;
}

/** Deletes the user's endpoint and its deliveries; false when there is no such endpoint. */
export async function deleteWebhookEndpoint(
  sql: Queryable,
  userId: string,
  endpointId: string,
): Promise<boolean> {
  const rows = await sql`
    DELETE FROM webhook_endpoints WHERE id = ${endpointId} AND user_id = ${userId} RETURNING id`;
  return rows.length === 1;
}
