/** Client steps for cards and card authorizations, for tests that read as a customer's. */
import { call, type Customer, type Reply, type Requestable } from "./client.ts";

/** A card as the API answers it. */
export interface CardJson {
  id: string;
  account_id: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  name_on_card: string | null;
  status: string;
}

/** An authorization as the API answers it. */
export interface AuthorizationJson {
  id: string;
  card_id: string;
  account_id: string;
  hold_id: string | null;
  amount: string;
  captured_amount: string;
  refunded_amount: string;
  status: string;
  decline_reason: string | null;
  transaction_id: string | null;
  expires_at: string | null;
  code?: string;
}

/** Issues a card on the customer's account; throws unless 201. */
export async function issueCard(
  app: Requestable,
  customer: Customer,
  accountId: string,
  body: Record<string, unknown> = {},
): Promise<CardJson> {
  const reply = await call<CardJson>(app, "POST", `/accounts/${accountId}/cards`, {
    token: customer.token,
    body,
  });
  if (reply.status !== 201) throw new Error(`issue card failed: ${reply.status}`);
  return reply.body;
}

/** A merchant's authorization on the card (a supermarket by default). */
export async function authorize(
  app: Requestable,
  customer: Customer,
  body: { card_id: string; amount: string | number; mcc?: string; simulate_decline?: string },
  headers: Record<string, string> = {},
): Promise<Reply<AuthorizationJson>> {
  const { mcc = "5411", ...rest } = body;
  return await call(app, "POST", "/simulations/card_authorizations", {
    token: customer.token,
    body: { ...rest, merchant: { name: "Corner Shop", mcc, country: "ZA" } },
    headers,
  });
}

/** A step on an authorization: increment, capture or reverse. */
export async function authorizationStep(
  app: Requestable,
  customer: Customer,
  id: string,
  step: "increment" | "capture" | "reverse",
  body?: Record<string, unknown>,
): Promise<Reply<AuthorizationJson>> {
  return await call(app, "POST", `/simulations/card_authorizations/${id}/${step}`, {
    token: customer.token,
    body,
  });
}

/**
 * A run of 12 or more digits in `text` other than inside a UUID: a card number would be one. A
 * UUID's last group is 12 hex characters and, about once in three hundred ids, all of them digits
 * — not a card number, and no reason for a test to fail.
 */
export function digitRunsOutsideIds(text: string): string[] {
  const withoutIds = text.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    "<id>",
  );
  return withoutIds.match(/[0-9]{12,}/g) ?? [];
}
