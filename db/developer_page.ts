/** What a dashboard "Developers" page shows for one user, read in one call. */
import { type ApiKeyRow, listApiKeys } from "./api_keys.ts";
import type { Queryable } from "./client.ts";
import type { SeqWindow } from "./seq_window.ts";
import { type EventRow, listEvents } from "./events.ts";
import { type DeliveryRow, listDeliveries } from "./webhook_deliveries.ts";
import { listWebhookEndpoints, type WebhookEndpointRow } from "./webhook_endpoints.ts";

/** Rows of each list the page shows. */
export const DEVELOPER_PAGE_ROWS_MAX = 20;

/**
 * The user's keys, endpoints (secrets removed) each with a page of its deliveries, and a page of
 * events: one more row than a page of each, in its window (the caller pages them).
 */
export interface DeveloperPageData {
  apiKeys: ApiKeyRow[];
  endpoints: { endpoint: Omit<WebhookEndpointRow, "secret">; deliveries: DeliveryRow[] }[];
  events: EventRow[];
}

/**
 * Reads everything the Developers page needs; plain data for a view. Events, and the paged
 * endpoint's deliveries, are read in the page's windows (routes/pages/paging.ts).
 */
export async function loadDeveloperPage(
  sql: Queryable,
  userId: string,
  now: Date,
  windows: { events?: SeqWindow; deliveries?: { endpointId?: string } & SeqWindow } = {},
): Promise<DeveloperPageData> {
  const apiKeys = await listApiKeys(sql, userId, now);
  const endpointRows = await listWebhookEndpoints(sql, userId);
  const endpoints = [];
  const { endpointId: pagedId, ...deliveriesWindow } = windows.deliveries ?? {};
  for (const { secret: _secret, ...endpoint } of endpointRows) {
    const deliveries = await listDeliveries(sql, {
      endpointId: endpoint.id,
      ...(endpoint.id === pagedId ? deliveriesWindow : {}),
      limit: DEVELOPER_PAGE_ROWS_MAX + 1,
    });
    endpoints.push({ endpoint, deliveries });
  }
  const events = await listEvents(sql, {
    userId,
    ...windows.events,
    limit: DEVELOPER_PAGE_ROWS_MAX + 1,
  });
  return { apiKeys, endpoints, events };
}
