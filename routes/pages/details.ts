/**
 * Detail pages: a transaction, payment, hold or event of the user's, each with the JSON the API
 * returns for it. Another user's object, or no object, is the pages' 404.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { Context } from "hono";
import { findEvent } from "../../db/events.ts";
import { findHold } from "../../db/holds.ts";
import { findLedgerEntry } from "../../db/ledger.ts";
import { findPayment } from "../../db/payments.ts";
import { findDelivery } from "../../db/webhook_deliveries.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { transactionJson } from "../../domain/representations.ts";
import { eventJson } from "../../domain/webhooks.ts";
import { attemptsSection, detailPage, type DetailPageData } from "../../views/details.ts";
import { dateTimeText, money, reasonLabel, typeLabel } from "../../views/format.ts";
import { toHoldJson } from "../holds/schemas.ts";
import { toPaymentJson } from "../payments/schemas.ts";
import { toDeliveryJson } from "../webhook_endpoints/schemas.ts";
import { chromeOf } from "./chrome.ts";
import type { PageEnv } from "./page_env.ts";
import { requireSession } from "./session.ts";

/** The path parameter of a detail page: a UUID, so other paths under the section stay theirs. */
const ID = ":id{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}";

type Detail = Omit<DetailPageData, "chrome">;

/** GET /app/{transactions,payments,holds,events,deliveries}/:id. */
export function detailPages() {
  return new Hono<PageEnv>()
    .get(`/transactions/${ID}`, requireSession, (c) => show(c, "transactions", transaction))
    .get(`/payments/${ID}`, requireSession, (c) => show(c, "payments", payment))
    .get(`/holds/${ID}`, requireSession, (c) => show(c, "accounts", hold))
    .get(`/events/${ID}`, requireSession, (c) => show(c, "developers", event))
    .get(`/deliveries/${ID}`, requireSession, (c) => show(c, "developers", delivery));
}

async function show(
  c: Context<PageEnv>,
  section: string,
  load: (c: Context<PageEnv>, id: string) => Promise<Detail>,
): Promise<Response> {
  const detail = await load(c, c.req.param("id")!.toLowerCase());
  return c.html(detailPage({ chrome: chromeOf(c, detail.heading, section), ...detail }));
}

async function transaction(c: Context<PageEnv>, id: string): Promise<Detail> {
  const entry = await findLedgerEntry(c.var.deps.sql, c.var.userId, id);
  if (!entry) throw new NotFoundError("Transaction");
  return {
    heading: `${typeLabel(entry.type)} of ${money(entry.amount, entry.currency)}`,
    id: entry.id,
    apiPath: `GET /transactions/${entry.id}`,
    facts: [
      { label: "Status", value: entry.status },
      ...(entry.reason ? [{ label: "Reason", value: reasonLabel(entry.reason) }] : []),
      { label: "Created", value: dateTimeText(entry.createdAt) },
      { label: "Description", value: entry.description ?? "—" },
    ],
    json: transactionJson(entry),
    back: { href: "/app/transactions", label: "All transactions" },
  };
}

async function payment(c: Context<PageEnv>, id: string): Promise<Detail> {
  const row = await findPayment(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Payment");
  return {
    heading: `Payment of ${money(row.amount, row.currency)}`,
    id: row.id,
    apiPath: `GET /payments/${row.id}`,
    facts: [
      { label: "Status", value: row.status },
      { label: "Direction", value: row.direction },
      { label: "Counterparty", value: row.counterparty.name },
      { label: "Created", value: dateTimeText(row.createdAt) },
      { label: "Settles", value: dateTimeText(row.settlesAt) },
    ],
    json: toPaymentJson(row),
    back: { href: "/app/payments", label: "All payments" },
  };
}

async function hold(c: Context<PageEnv>, id: string): Promise<Detail> {
  const row = await findHold(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Hold");
  return {
    heading: `Hold of ${money(row.amount, row.currency)}`,
    id: row.id,
    apiPath: `GET /holds/${row.id}`,
    facts: [
      { label: "Status", value: row.status },
      { label: "Created", value: dateTimeText(row.createdAt) },
      { label: "Expires", value: dateTimeText(row.expiresAt) },
    ],
    json: toHoldJson(row),
    back: { href: `/app/accounts/${row.accountId}`, label: "Its account" },
  };
}

async function event(c: Context<PageEnv>, id: string): Promise<Detail> {
  const row = await findEvent(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Event");
  return {
    heading: `Event ${row.type}`,
    id: row.id,
    apiPath: `GET /events/${row.id}`,
    facts: [{ label: "Created", value: dateTimeText(row.createdAt) }],
    json: eventJson(row),
    back: { href: "/app/developers", label: "Developers" },
  };
}

async function delivery(c: Context<PageEnv>, id: string): Promise<Detail> {
  const row = await findDelivery(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Webhook delivery");
  return {
    heading: `Delivery of ${row.eventType}`,
    id: row.id,
    apiPath: `GET /webhook_endpoints/${row.endpointId}/deliveries`,
    facts: [
      { label: "Endpoint", value: row.url },
      { label: "Status", value: row.status },
      { label: "Attempts", value: String(row.attempts) },
      {
        label: "Next attempt",
        value: row.nextAttemptAt ? dateTimeText(row.nextAttemptAt) : "None: it is finished",
      },
      { label: "Event", value: html`<a href="/app/events/${row.eventId}">${row.eventId}</a>` },
    ],
    json: toDeliveryJson({ ...row, attemptLog: row.attemptLog }),
    more: attemptsSection(row.attemptLog),
    back: { href: "/app/developers", label: "Developers" },
  };
}
