/**
 * The Developers page: API keys, webhook endpoints and their delivery logs, events. Every action
 * is a plain form post answered with the page again and a notice, so a key or signing secret can
 * be shown exactly once; input is checked with the JSON API's own schemas and URL rules.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { API_KEYS_PER_USER_MAX, insertApiKey, revokeApiKey } from "../../db/api_keys.ts";
import { DEVELOPER_PAGE_ROWS_MAX, loadDeveloperPage } from "../../db/developer_page.ts";
import { readWindow, windowPage } from "./paging.ts";
import { EVENT_TYPES, findEvent, listEvents } from "../../db/events.ts";
import { listDeliveries, redeliverEvent } from "../../db/webhook_deliveries.ts";
import {
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  updateWebhookEndpoint,
  WEBHOOK_ENDPOINTS_PER_USER_MAX,
} from "../../db/webhook_endpoints.ts";
import { DEFAULT_API_KEY_SCOPES, generateApiKey } from "../../domain/api_keys.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import { generateWebhookSecret } from "../../domain/webhooks.ts";
import { developersPage, liveDeliveries, type ShownSecret } from "../../views/developers.ts";
import type { Notice } from "../../views/outcome.ts";
import { CreateApiKeySchema } from "../api_keys/schemas.ts";
import { acceptableUrl } from "../webhook_endpoints/handlers.ts";
import { CreateWebhookEndpointSchema } from "../webhook_endpoints/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields } from "./forms.ts";
import {
  DELIVERIES_PREFIX,
  type DeliveryLog,
  deliveryLog,
  pagedEndpointWindow,
} from "./delivery_log.ts";
import { liveAnswer } from "./live.ts";
import type { PageEnv } from "./page_env.ts";
import { type ActionDone, pageAction } from "./prg.ts";
import { requireSession } from "./session.ts";

/** Events looked through for one an endpoint takes, when sending it a test event. */
export const TEST_EVENT_CANDIDATES_MAX = 50;

const Id = z.uuid();

/** What a page answer adds to the page's data. */
interface PageExtras {
  notice?: Notice;
  secret?: ShownSecret;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** /app/developers and its actions. */
export function developerPages() {
  return new Hono<PageEnv>()
    .get("/developers", requireSession, async (c) => await render(c, {}))
    // One endpoint's delivery log alone, for its live region: 204 while it is unchanged.
    .get("/developers/endpoints/:id/deliveries/live", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const id = c.req.param("id");
      const endpoint = Id.safeParse(id).success
        ? await findWebhookEndpoint(deps.sql, userId, id)
        : undefined;
      if (!endpoint) throw new NotFoundError("Webhook endpoint");
      // The poll carries the window of the page the reader is on.
      const window = readWindow(c, DELIVERIES_PREFIX);
      const rows = await listDeliveries(deps.sql, {
        endpointId: endpoint.id,
        ...window,
        limit: DEVELOPER_PAGE_ROWS_MAX + 1,
      });
      const log = await deliveryLog(endpoint.id, rows, {
        ...window,
        limit: DEVELOPER_PAGE_ROWS_MAX,
      });
      return await liveAnswer(c, log.version, () => c.html(liveDeliveries(endpoint, log)));
    })
    .post("/developers/api-keys", requireSession, (c) =>
      act(c, async (fields) => {
        const { deps, userId } = c.var;
        const parsed = CreateApiKeySchema.safeParse({ name: fields.name ?? "" });
        if (!parsed.success) {
          return await render(c, {
            errors: { name: "Give the key a name of 1 to 100 characters." },
            values: fields,
          }, 400);
        }
        const generated = await generateApiKey();
        const row = await insertApiKey(deps.sql, {
          userId,
          name: parsed.data.name,
          keyPrefix: generated.keyPrefix,
          keyHash: generated.keyHash,
          // The dashboard makes keys of the default scopes; the API can choose (POST /api_keys).
          scopes: DEFAULT_API_KEY_SCOPES,
          expiresAt: null,
          ancestorKeyIds: [],
          now: deps.clock(),
        });
        if (!row) {
          return shown({
            notice: {
              tone: "error",
              title: "No key was made",
              message: `You already have ${API_KEYS_PER_USER_MAX} keys; revoke one first.`,
            },
          });
        }
        deps.log("info", "api_key_created", { user_id: userId, api_key_id: row.id });
        return shown({
          notice: { tone: "success", title: `API key "${row.name}" created` },
          secret: { label: "Your new API key", value: generated.key },
        });
      }))
    .post("/developers/api-keys/:id/revoke", requireSession, (c) =>
      act(c, async () => {
        const { deps, userId } = c.var;
        const id = ownId(c.req.param("id"), "API key");
        if (!await revokeApiKey(deps.sql, userId, id, deps.clock())) {
          throw new NotFoundError("API key");
        }
        deps.log("info", "api_key_revoked", { user_id: userId, api_key_id: id });
        return shown({ notice: { tone: "success", title: "API key revoked" } });
      }))
    .post("/developers/endpoints", requireSession, (c) => act(c, (f) => addEndpoint(c, f)))
    .post(
      "/developers/endpoints/:id/:change{enable|disable}",
      requireSession,
      (c) =>
        act(c, async () => {
          const { deps, userId } = c.var;
          const id = ownId(c.req.param("id"), "Webhook endpoint");
          const enabled = c.req.param("change") === "enable";
          const row = await updateWebhookEndpoint(
            deps.sql,
            { userId, endpointId: id, now: deps.clock() },
            { enabled },
          );
          if (!row) throw new NotFoundError("Webhook endpoint");
          return shown({
            notice: { tone: "success", title: `Endpoint ${enabled ? "enabled" : "disabled"}` },
          });
        }),
    )
    .post("/developers/endpoints/:id/delete", requireSession, (c) =>
      act(c, async () => {
        const id = ownId(c.req.param("id"), "Webhook endpoint");
        if (!await deleteWebhookEndpoint(c.var.deps.sql, c.var.userId, id)) {
          throw new NotFoundError("Webhook endpoint");
        }
        return shown({ notice: { tone: "success", title: "Endpoint deleted" } });
      }))
    .post("/developers/endpoints/:id/test", requireSession, (c) => act(c, () => sendTestEvent(c)))
    .post("/developers/events/:id/redeliver", requireSession, (c) =>
      act(c, async () => {
        const { deps, userId } = c.var;
        const id = ownId(c.req.param("id"), "Event");
        if (!await findEvent(deps.sql, userId, id)) throw new NotFoundError("Event");
        const queued = await redeliverEvent(deps.sql, userId, id, { realNow: deps.clock() });
        return shown({
          notice: queued === 0
            ? {
              tone: "info",
              title: "Nothing to redeliver to",
              message: "None of your enabled endpoints takes this event's type.",
            }
            : {
              tone: "success",
              title: `Event queued for ${queued} endpoint${queued === 1 ? "" : "s"}`,
              message: "The delivery log below shows each attempt.",
            },
        });
      }));
}

/** A developer action under Post/Redirect/Get: shown on the page after the redirect. */
async function act(
  c: Context<PageEnv>,
  run: (fields: Record<string, string>) => Promise<ActionDone | Response>,
): Promise<Response> {
  const fields = await formFields(c);
  return await pageAction(c, fields, "/app/developers", () => run(fields));
}

/** What the page shows after an action's redirect. */
function shown(extras: { notice: Notice; secret?: ShownSecret }): ActionDone {
  return { notice: extras.notice, secret: extras.secret };
}

async function addEndpoint(
  c: Context<PageEnv>,
  fields: Record<string, string>,
): Promise<ActionDone | Response> {
  const { deps, userId } = c.var;
  const eventTypes = EVENT_TYPES.filter((type) => fields[`type:${type}`]);
  const parsed = CreateWebhookEndpointSchema.safeParse({
    url: fields.url ?? "",
    event_types: eventTypes,
    description: fields.description || null,
  });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "url");
    const message = field === "description"
      ? "Keep the description to 500 characters."
      : "Enter the endpoint's URL (up to 2048 characters).";
    return await render(c, { errors: { [field]: message }, values: fields }, 400);
  }
  let url: string;
  try {
    url = await acceptableUrl(deps, parsed.data.url);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const message = `The URL ${error.problem}.`;
    return await render(c, { errors: { url: message }, values: fields }, 400);
  }
  const secret = generateWebhookSecret();
  const row = await insertWebhookEndpoint(deps.sql, {
    userId,
    url,
    eventTypes,
    description: parsed.data.description ?? null,
    secret,
    now: deps.clock(),
  });
  if (!row) {
    return shown({
      notice: {
        tone: "error",
        title: "No endpoint was added",
        message: `You already have ${WEBHOOK_ENDPOINTS_PER_USER_MAX} endpoints; delete one first.`,
      },
    });
  }
  return shown({
    notice: { tone: "success", title: "Endpoint added" },
    secret: { label: `Signing secret of ${row.url}`, value: secret },
  });
}

/** Queues the user's latest event this endpoint takes to this endpoint alone. */
async function sendTestEvent(c: Context<PageEnv>): Promise<ActionDone | Response> {
  const { deps, userId } = c.var;
  const id = ownId(c.req.param("id") ?? "", "Webhook endpoint");
  const endpoint = await findWebhookEndpoint(deps.sql, userId, id);
  if (!endpoint) throw new NotFoundError("Webhook endpoint");
  if (!endpoint.enabled) {
    return shown({
      notice: { tone: "error", title: "This endpoint is disabled", message: "Enable it first." },
    });
  }
  const events = await listEvents(deps.sql, { userId, limit: TEST_EVENT_CANDIDATES_MAX });
  const event = events.find((candidate) =>
    endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(candidate.type)
  );
  if (!event) {
    const message = events.length === 0
      ? "You have no events yet. Open an account or move money, then send one."
      : "None of your latest events is of a type this endpoint takes.";
    return shown({ notice: { tone: "info", title: "No event to send", message } });
  }
  await redeliverEvent(deps.sql, userId, event.id, {
    endpointId: endpoint.id,
    realNow: deps.clock(),
  });
  return shown({
    notice: {
      tone: "success",
      title: "Test event queued",
      message: `Your latest ${event.type} event (${event.id}) goes to ${endpoint.url}.`,
    },
  });
}

/** The id from the path when it can be one; otherwise nothing of the user's has it (404). */
function ownId(text: string, what: string): string {
  if (!Id.safeParse(text).success) throw new NotFoundError(what);
  return text;
}

async function render(c: Context<PageEnv>, extras: PageExtras, status = 200) {
  const window = readWindow(c, "events_");
  const paged = pagedEndpointWindow(c);
  const data = await loadDeveloperPage(c.var.deps.sql, c.var.userId, c.var.deps.clock(), {
    events: window,
    deliveries: paged,
  });
  const events = windowPage(data.events, DEVELOPER_PAGE_ROWS_MAX, window);
  const deliveryLogs: Record<string, DeliveryLog> = {};
  for (const { endpoint, deliveries } of data.endpoints) {
    const { endpointId: _id, ...shown } = endpoint.id === paged.endpointId ? paged : {};
    deliveryLogs[endpoint.id] = await deliveryLog(endpoint.id, deliveries, {
      ...shown,
      limit: DEVELOPER_PAGE_ROWS_MAX,
    });
  }
  return c.html(
    developersPage({
      chrome: chromeOf(c, "Developers", "developers"),
      eventTypes: EVENT_TYPES,
      deliveryLogs,
      ...data,
      events: events.rows,
      eventsPager: events.pager,
      ...extras,
    }),
    status as 200,
  );
}
