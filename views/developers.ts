/** The Developers page: API keys, webhook endpoints with their delivery logs, and events. */
import { html } from "hono/html";
import { liveRegion } from "./live.ts";
import type { ApiKeyRow } from "../db/api_keys.ts";
import type { DeveloperPageData } from "../db/developer_page.ts";
import type { EventRow } from "../db/events.ts";
import type { DeliveryRow } from "../db/webhook_deliveries.ts";
import type { Pager } from "../routes/pages/paging.ts";
import type { DeliveryLog } from "../routes/pages/delivery_log.ts";
import { pagerLinks } from "./paging.ts";
import { dateTimeText } from "./format.ts";
import {
  type Chrome,
  csrfField,
  describedBy,
  fieldError,
  type Html,
  idempotencyField,
  layout,
  rowId,
} from "./layout.ts";
import { type Notice, noticeBox } from "./outcome.ts";

/** A secret shown once, right after it was made. */
export interface ShownSecret {
  label: string;
  value: string;
}

/** Everything the Developers page shows. */
export interface DevelopersPageData extends DeveloperPageData {
  chrome: Chrome;
  eventTypes: readonly string[];
  /** Each endpoint's page of its delivery log (routes/pages/delivery_log.ts), by endpoint id. */
  deliveryLogs: Record<string, DeliveryLog>;
  /** The "Newer" / "Older" links of the events. */
  eventsPager?: Pager;
  notice?: Notice;
  secret?: ShownSecret;
  /** Field errors of the forms, keyed by field name. */
  errors?: Record<string, string>;
  /** What was typed into the endpoint form, shown again after an error. */
  values?: Record<string, string>;
}

/** The Developers page. */
export function developersPage(data: DevelopersPageData): Html {
  const token = data.chrome.csrfToken;
  return layout(
    data.chrome,
    html`<h1>Developers</h1>
<p>Credentials for your servers, webhooks for what happens at the bank, and the events behind them.
  Everything here acts only on your own sandbox profile.</p>
<div id="developer-notice" aria-live="polite">${noticeBox(data.notice)}${
      data.secret ? secretBox(data.secret) : ""
    }</div>
<section class="card" aria-labelledby="keys-heading">
  <h2 id="keys-heading">API keys</h2>
  <p class="hint">Send a key as <code>Authorization: Bearer sk_test_…</code>. It is shown once, when
    made; revoking it stops it at once. Keys made here may read and move money (scopes
    <code>read</code> and <code>money</code>); an <code>admin</code> key, which may also manage keys
    and webhook endpoints, is made with <code>POST /api_keys</code>.</p>
  ${apiKeyForm(token, data.errors ?? {}, data.values ?? {})}
  ${apiKeysTable(data.apiKeys, token)}
</section>
<section class="card" aria-labelledby="endpoints-heading">
  <h2 id="endpoints-heading">Webhook endpoints</h2>
  <p class="hint">Events are POSTed to each enabled endpoint, signed per Standard Webhooks, and
    retried on failure.</p>
  ${endpointForm(token, data.eventTypes, data.errors ?? {}, data.values ?? {})}
  ${
      data.endpoints.length === 0
        ? html`<p class="empty">No webhook endpoints yet.</p>`
        : data.endpoints.map(({ endpoint }) =>
          endpointCard(endpoint, data.deliveryLogs[endpoint.id], token)
        )
    }
</section>
<section aria-labelledby="events-heading">
  <h2 id="events-heading">Latest events</h2>
  ${eventsTable(data.events, token)}
  ${
      data.eventsPager
        ? pagerLinks(data.eventsPager, {
          path: "/app/developers",
          label: "Events pages",
          prefix: "events_",
          anchor: "events-heading",
        })
        : ""
    }
</section>`,
  );
}

function secretBox(secret: ShownSecret): Html {
  return html`<div class="notice notice--info secret-box">
  <label for="shown-secret">${secret.label}</label>
  <input id="shown-secret" class="mono secret-field" type="text" readonly autofocus
    autocomplete="off" spellcheck="false" value="${secret.value}"
    aria-describedby="shown-secret-hint">
  <p class="hint" id="shown-secret-hint">Select it and copy it now: it is shown only this once.</p>
</div>`;
}

function apiKeyForm(
  token: string,
  errors: Record<string, string>,
  values: Record<string, string>,
): Html {
  return html`
    <form method="post" action="/app/developers/api-keys" class="form form--inline"
      novalidate>
      ${csrfField(token)}${idempotencyField()}
      <div class="field">
        <label for="key-name">Key name</label>
        <input id="key-name" name="name" type="text" maxlength="100" autocomplete="off" required
          value="${values.name ?? ""}"${describedBy("key-name", errors.name)}>
        ${fieldError("key-name", errors.name)}
      </div>
      <button type="submit" class="button">Create API key</button>
    </form>
  `;
}

function apiKeysTable(keys: ApiKeyRow[], token: string): Html {
  if (keys.length === 0) return html`<p class="empty">No active API keys.</p>`;
  return html`
    <div class="table-scroll" role="region" aria-label="Your API keys" tabindex="0">
      <table class="stack-table">
        <caption class="visually-hidden">Your API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key starts</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col"><span class="visually-hidden">Action</span></th>
          </tr>
        </thead>
        <tbody>${keys.map((key) =>
          html`
            <tr>
              <td data-label="Name">${key.name}</td>
              <td data-label="Key starts" class="mono">${key.keyPrefix}…</td>
              <td data-label="Scopes">${key.scopes.join(", ")}${key.expiresAt
                ? html`, until ${dateTimeText(key.expiresAt)}`
                : ""}</td>
              <td data-label="Created" class="nowrap">${dateTimeText(key.createdAt)}</td>
              <td data-label="Last used" class="nowrap">${key.lastUsedAt
                ? dateTimeText(key.lastUsedAt)
                : "Never"}</td>
              <td data-label="Action">${actionButton(
                `/app/developers/api-keys/${key.id}/revoke`,
                token,
                "Revoke",
                {
                  label: `Revoke key ${key.name}`,
                  danger: true,
                  confirm: `Revoke the key "${key.name}"? Requests with it stop working at once.`,
                },
              )}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

function endpointForm(
  token: string,
  eventTypes: readonly string[],
  errors: Record<string, string>,
  values: Record<string, string>,
): Html {
  return html`
    <form method="post" action="/app/developers/endpoints" class="form endpoint-form"
      novalidate>
      ${csrfField(token)}${idempotencyField()}
      <div class="field">
        <label for="endpoint-url">Endpoint URL</label>
        <input id="endpoint-url" name="url" type="url" maxlength="2000" autocomplete="off" required
          placeholder="https://example.com/webhooks/bank" value="${values.url ?? ""}"${describedBy(
            "endpoint-url",
            errors.url,
            true,
          )}>
        <p class="hint" id="endpoint-url-hint">http or https, to a public address (localhost only where the server allows private receivers, as <code>deno task dev</code> does).</p>
        ${fieldError("endpoint-url", errors.url)}
      </div>
      <div class="field">
        <label for="endpoint-description">Description <span class="optional">(optional)</span></label>
        <input id="endpoint-description" name="description" type="text" maxlength="500"
          autocomplete="off" value="${values.description ?? ""}">
      </div>
      <fieldset class="field-group">
        <legend>Event types <span class="optional">(none ticked means all)</span></legend>
        <div class="checkbox-grid">${eventTypes.map((type) =>
          html`
            <label
              class="checkbox"><input type="checkbox" name="type:${type}" value="on"${values[
                  `type:${type}`
                ]
                ? html`
                  checked
                `
                : ""}> <code>${type}</code></label>
          `
        )}</div>
      </fieldset>
      <button type="submit" class="button">Add endpoint</button>
    </form>
  `;
}

function endpointCard(
  endpoint: DeveloperPageData["endpoints"][number]["endpoint"],
  log: DeliveryLog,
  token: string,
): Html {
  const base = `/app/developers/endpoints/${endpoint.id}`;
  return html`<article class="endpoint" aria-labelledby="endpoint-${endpoint.id}">
  <div class="section-head">
    <h3 id="endpoint-${endpoint.id}" class="mono endpoint__url">${endpoint.url}</h3>
    <span class="badge ${endpoint.enabled ? "badge--approved" : "badge--muted"}">${
    endpoint.enabled ? "Enabled" : "Disabled"
  }</span>
  </div>
  <p class="hint">${
    endpoint.description
      ? html`
        ${endpoint.description} ·
      `
      : ""
  }${endpoint.eventTypes.length === 0 ? "All event types" : endpoint.eventTypes.join(", ")}</p>
  <div class="actions">
    ${
    actionButton(`${base}/test`, token, "Send test event", {
      label: `Send test event to ${endpoint.url}`,
    })
  }
    ${
    actionButton(
      `${base}/${endpoint.enabled ? "disable" : "enable"}`,
      token,
      endpoint.enabled ? "Disable" : "Enable",
      {
        label: `${endpoint.enabled ? "Disable" : "Enable"} ${endpoint.url}`,
      },
    )
  }
    ${
    actionButton(`${base}/delete`, token, "Delete", {
      label: `Delete ${endpoint.url}`,
      danger: true,
      confirm: `Delete the endpoint ${endpoint.url}? Its delivery log goes with it.`,
    })
  }
  </div>
  ${liveDeliveries(endpoint, log)}
</article>`;
}

/**
 * An endpoint's delivery log, kept current without a reload: attempts and outcomes show. The
 * pages' links live inside the region: a new delivery can give the first page an "Older".
 */
export function liveDeliveries(endpoint: { id: string; url: string }, log: DeliveryLog): Html {
  return liveRegion(
    {
      id: `deliveries-live-${endpoint.id}`,
      url: `/app/developers/endpoints/${endpoint.id}/deliveries/live`,
      version: log.version,
      params: log.params,
    },
    html`${deliveryTable(endpoint.url, log.rows)}${
      pagerLinks(log.pager, {
        path: log.pagerPath,
        label: `Deliveries to ${endpoint.url}, pages`,
        prefix: log.prefix,
        anchor: `endpoint-${endpoint.id}`,
      })
    }`,
  );
}

function deliveryTable(url: string, deliveries: DeliveryRow[]): Html {
  if (deliveries.length === 0) {
    return html`<p class="empty">No deliveries to this endpoint yet.</p>`;
  }
  return html`
    <div class="table-scroll" role="region" aria-label="Deliveries to ${url}"
      tabindex="0">
      <table class="deliveries stack-table">
        <caption class="visually-hidden">Delivery log of ${url}</caption>
        <thead>
          <tr>
            <th scope="col">Queued</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" class="numeric">Attempts</th>
            <th scope="col">Response</th>
            <th scope="col">Next attempt</th>
          </tr>
        </thead>
        <tbody>${deliveries.map((delivery) =>
          html`
            <tr>
              <td data-label="Queued" class="nowrap">${dateTimeText(delivery.createdAt)}</td>
              <td data-label="Event"><code>${delivery.eventType}</code>${rowId(
                delivery.id,
                `/app/deliveries/${delivery.id}`,
                "Delivery",
              )}</td>
              <td data-label="Status"><span class="badge badge--${deliveryTone(
                delivery.status,
              )}">${delivery
                .status}</span></td>
              <td data-label="Attempts" class="numeric">${delivery.attempts}</td>
              <td data-label="Response">${delivery.responseStatus !== null
                ? html`HTTP ${delivery.responseStatus}`
                : delivery.error ?? "—"}${delivery.responseStatus !== null && delivery.error
                ? html`<span class="ledger-row__description">${delivery.error}</span>`
                : ""}</td>
              <td data-label="Next attempt" class="nowrap">${delivery.nextAttemptAt
                ? dateTimeText(delivery.nextAttemptAt)
                : "—"}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

function deliveryTone(status: DeliveryRow["status"]): string {
  return status === "succeeded" ? "approved" : status === "failed" ? "refused" : "pending";
}

function eventsTable(events: EventRow[], token: string): Html {
  if (events.length === 0) {
    return html`<p class="empty">No events yet. Open an account or move money to make some.</p>`;
  }
  return html`
    <div class="table-scroll" role="region" aria-label="Your latest events" tabindex="0">
      <table class="events stack-table">
        <caption class="visually-hidden">Your latest events</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Type</th>
            <th scope="col">Event id</th>
            <th scope="col"><span class="visually-hidden">Action</span></th>
          </tr>
        </thead>
        <tbody>${events.map((event) =>
          html`
            <tr>
              <td data-label="Time" class="nowrap">${dateTimeText(event.createdAt)}</td>
              <td data-label="Type"><code>${event.type}</code></td>
              <td data-label="Event id" class="event-id">${rowId(
                event.id,
                `/app/events/${event.id}`,
                "Event",
              )}</td>
              <td data-label="Action">${actionButton(
                `/app/developers/events/${event.id}/redeliver`,
                token,
                "Redeliver",
                {
                  label: `Redeliver event ${event.type} ${event.id}`,
                },
              )}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

/**
 * A one-button form posting to `action` (Post/Redirect/Get, with its own idempotency key);
 * `label` names what it acts on for screen readers; `confirm` asks first (destructive actions).
 */
export function actionButton(
  action: string,
  token: string,
  text: string,
  options: { label?: string; danger?: boolean; confirm?: string } = {},
): Html {
  return html`
    <form method="post" action="${action}" class="inline-form" ${options.confirm
      ? html`
        data-confirm="${options.confirm}"
      `
      : ""}>
      ${csrfField(token)}${idempotencyField()}
      <button type="submit" class="button button--small ${options.danger
        ? "button--danger"
        : "button--quiet"}"${options.label
        ? html`
          aria-label="${options.label}"
        `
        : ""}>${text}</button>
    </form>
  `;
}
