/** Handlers for webhook endpoints and their delivery logs. */
import { listDeliveries } from "../../db/webhook_deliveries.ts";
import {
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  WEBHOOK_ENDPOINTS_PER_USER_MAX,
} from "../../db/webhook_endpoints.ts";
import { NotFoundError, RefusedError } from "../../domain/errors.ts";
import {
  assertDeliverableUrl,
  parseWebhookUrl,
  resolveWithDns,
} from "../../domain/webhook_urls.ts";
import { generateWebhookSecret } from "../../domain/webhooks.ts";
import type { AppDeps, AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import type {
  CreateRoute,
  DeliveriesRoute,
  GetOneRoute,
  ListRoute,
  RemoveRoute,
  UpdateRoute,
} from "./routes.ts";
import { toDeliveryJson, toWebhookEndpointJson } from "./schemas.ts";

/** The URL as it will be stored, once it passed the rules of this environment. */
export async function acceptableUrl(deps: AppDeps, text: string): Promise<string> {
  const url = parseWebhookUrl(text);
  await assertDeliverableUrl(url, {
    allowPrivate: deps.config.webhookAllowPrivate,
    resolve: deps.resolveHost ?? resolveWithDns,
  });
  return url.href;
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const secret = generateWebhookSecret();
  const row = await insertWebhookEndpoint(deps.sql, {
    userId,
    url: await acceptableUrl(deps, body.url),
    eventTypes: [...new Set(body.event_types ?? [])],
    description: body.description ?? null,
    secret,
    now: deps.clock(),
  });
  if (!row) {
    throw new RefusedError(
      "webhook_endpoint_limit",
      `Cannot add a webhook endpoint: you already have ${WEBHOOK_ENDPOINTS_PER_USER_MAX}`,
      undefined,
      "webhook_endpoint_limit",
    );
  }
  return c.json({ ...toWebhookEndpointJson(row), secret }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const rows = await listWebhookEndpoints(c.var.deps.sql, c.var.userId);
  return c.json({ data: rows.map(toWebhookEndpointJson) }, 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await findWebhookEndpoint(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Webhook endpoint");
  return c.json(toWebhookEndpointJson(row), 200);
};

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const row = await updateWebhookEndpoint(deps.sql, { userId, endpointId: id, now: deps.clock() }, {
    url: body.url === undefined ? undefined : await acceptableUrl(deps, body.url),
    eventTypes: body.event_types === undefined ? undefined : [...new Set(body.event_types)],
    description: body.description,
    enabled: body.enabled,
  });
  if (!row) throw new NotFoundError("Webhook endpoint");
  return c.json(toWebhookEndpointJson(row), 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid("param");
  if (!await deleteWebhookEndpoint(c.var.deps.sql, c.var.userId, id)) {
    throw new NotFoundError("Webhook endpoint");
  }
  return c.body(null, 204);
};

export const deliveries: AppRouteHandler<DeliveriesRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  const endpoint = await findWebhookEndpoint(deps.sql, userId, id);
  if (!endpoint) throw new NotFoundError("Webhook endpoint");
  const rows = await listDeliveries(deps.sql, {
    endpointId: endpoint.id,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toDeliveryJson), 200);
};
