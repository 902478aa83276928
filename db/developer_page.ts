/** What a dashboard "Developers" page shows for one user, read in one call. */
import { type ApiKeyRow, listApiKeys } from "./api_keys.ts";
import type { Queryable } from "./client.ts";
import { type EventRow, listEvents } from "./events.ts";
import { type DeliveryRow, listDeliveries } from "./webhook_deliveries.ts";
import { listWebhookEndpoints, type WebhookEndpointRow } from "./webhook_endpoints.ts";

/** Rows of each list the page shows. */
export const DEVELOPER_PAGE_ROWS_MAX = 20;

/** The user's keys, endpoints (secrets removed) with their latest deliveries, and latest events. */
export interface DeveloperPageData {
  apiKeys: ApiKeyRow[];
  endpoints: { endpoint: Omit<WebhookEndpointRow, "secret">; deliveries: DeliveryRow[] }[];
  events: EventRow[];
}

/**
 * Reads everything the Developers page needs; plain data for a view. Events are read in the
 * page's window, one more than a page (the caller pages them: routes/pages/paging.ts).
 */
export async function loadDeveloperPage(
  sql: Queryable,
  userId: string,
  now: Date,
  eventsWindow: { beforeSeq?: bigint; afterSeq?: bigint } = {},
): Promise<DeveloperPageData> {
  const apiKeys = await listApiKeys(sql, userId, now);
  const endpointRows = await listWebhookEndpoints(sql, userId);
  const endpoints = [];
  for (const { secret: _secret, ...endpoint } of endpointRows) {
    const deliveries = await listDeliveries(sql, {
      endpointId: endpoint.id,
      limit: DEVELOPER_PAGE_ROWS_MAX,
    });
    endpoints.push({ endpoint, deliveries });
  }
  const events = await listEvents(sql, {
    userId,
    ...eventsWindow,
    limit: DEVELOPER_PAGE_ROWS_MAX + 1,
  });
  return { apiKeys, endpoints, events };
}
