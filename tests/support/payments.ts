/** Client steps for payments, holds and the sandbox clock, for tests that read as a customer's. */
import { call, type Customer, type Reply, type Requestable } from "./client.ts";

/** A payment as the API answers it. */
export interface PaymentJson {
  id: string;
  direction: string;
  account_id: string;
  amount: string;
  status: string;
  return_reason: string | null;
  transaction_id: string | null;
  return_transaction_id: string | null;
  settles_at: string;
  settled_at: string | null;
  returned_at: string | null;
}

/** A hold as the API answers it. */
export interface HoldJson {
  id: string;
  account_id: string;
  amount: string;
  captured_amount: string;
  status: string;
  capture_transaction_id: string | null;
  expires_at: string;
}

/** A counterparty at another bank with this account number. */
export function counterparty(accountNumber = "62001234567") {
  return { name: "Acme Supplies", bank_code: "250655", account_number: accountNumber };
}

/** Sends a payment out of the customer's account. */
export async function sendPayment(
  app: Requestable,
  customer: Customer,
  body: { from_account_id: string; amount: string | number; counterpartyNumber?: string },
  headers: Record<string, string> = {},
): Promise<Reply<PaymentJson & Record<string, unknown>>> {
  return await call(app, "POST", "/payments", {
    token: customer.token,
    body: {
      from_account_id: body.from_account_id,
      amount: body.amount,
      counterparty: counterparty(body.counterpartyNumber),
    },
    headers,
  });
}

/** Reads one payment. */
export async function getPayment(
  app: Requestable,
  customer: Customer,
  id: string,
): Promise<PaymentJson> {
  const reply = await call<PaymentJson>(app, "GET", `/payments/${id}`, { token: customer.token });
  if (reply.status !== 200) throw new Error(`get payment failed: ${reply.status}`);
  return reply.body;
}

/** Moves the customer's sandbox clock forward. */
export async function advanceClock(
  app: Requestable,
  customer: Customer,
  seconds: number,
): Promise<Reply<{ now: string; offset_seconds: number }>> {
  return await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { seconds },
  });
}

/** Places a hold on the customer's account. */
export async function placeHold(
  app: Requestable,
  customer: Customer,
  accountId: string,
  body: Record<string, unknown>,
): Promise<Reply<HoldJson & Record<string, unknown>>> {
  return await call(app, "POST", `/accounts/${accountId}/holds`, {
    token: customer.token,
    body,
  });
}

/** The account's available balance as the API reports it now. */
export async function availableOf(
  app: Requestable,
  customer: Customer,
  accountId: string,
): Promise<string> {
  const reply = await call<{ available_balance: string }>(app, "GET", `/accounts/${accountId}`, {
    token: customer.token,
  });
  return reply.body.available_balance;
}
