/**
 * An endpoint's delivery log on the Developers page, paged on its own: the page's query names the
 * endpoint being paged (`deliveries_endpoint`) and its window (`deliveries_older` /
 * `deliveries_newer`); the log's live poll carries the same window, so it keeps the reader there.
 */
import type { Context } from "hono";
import type { DeliveryRow } from "../../db/webhook_deliveries.ts";
import { versionOf } from "./live.ts";
import { type Pager, type PageWindow, readWindow, windowPage, windowParams } from "./paging.ts";

/** The query prefix of a delivery log's window. */
export const DELIVERIES_PREFIX = "deliveries_";

/** The query parameter naming the endpoint whose log is paged. */
export const DELIVERIES_ENDPOINT_PARAM = "deliveries_endpoint";

/** One page of an endpoint's log: its rows, links, window (for the poll) and version. */
export interface DeliveryLog {
  rows: DeliveryRow[];
  pager: Pager;
  /** Where the pager's links go, and the prefix of their window (views/paging.ts). */
  pagerPath: string;
  prefix: string;
  params: Record<string, string>;
  version: string;
}

/** The window the page's query asks of the endpoint's log (the newest, unless it is the one). */
export function pagedEndpointWindow(c: Context): { endpointId?: string } & PageWindow {
  const endpointId = c.req.query(DELIVERIES_ENDPOINT_PARAM);
  if (!endpointId) return {};
  return { endpointId, ...readWindow(c, DELIVERIES_PREFIX) };
}

/** The log's page from `limit + 1` rows read in `window` (db/webhook_deliveries.ts). */
export async function deliveryLog(
  endpointId: string,
  rows: DeliveryRow[],
  window: PageWindow & { limit: number },
): Promise<DeliveryLog> {
  const page = windowPage(rows, window.limit, window);
  return {
    ...page,
    pagerPath: `/app/developers?${DELIVERIES_ENDPOINT_PARAM}=${endpointId}`,
    prefix: DELIVERIES_PREFIX,
    params: windowParams(window, DELIVERIES_PREFIX),
    version: await versionOf([page.rows, page.pager]),
  };
}
