/** The routes of accounts and cash movements on them. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { ACCOUNTS_PER_USER_MAX } from "../../domain/abuse_limits.ts";
import {
  IdempotencyHeaders,
  IdParams,
  jsonBody,
  jsonResponse,
  problemResponseDoc,
  problems,
} from "../schemas.ts";
import { TransactionSchema } from "../transactions/schemas.ts";
import {
  AccountSchema,
  BalanceAtSchema,
  BalanceQuery,
  CashMovementSchema,
  FreezeAccountSchema,
  OpenAccountSchema,
} from "./schemas.ts";

export const open = createRoute({
  method: "post",
  path: "/accounts",
  tags: ["Accounts"],
  summary: "Open an account",
  description: "Opens an account with a zero balance and a unique 10-digit account number " +
    "(with a check digit). The currency defaults to ZAR; `GET /currencies` lists the others. " +
    "Send an `Idempotency-Key` to make a retry safe: the same key and body open one account. " +
    `A customer holds at most ${ACCOUNTS_PER_USER_MAX} accounts: one more is a 422 ` +
    "`account_limit`.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: {
    headers: IdempotencyHeaders,
    body: { ...jsonBody(OpenAccountSchema), required: false },
  },
  responses: {
    201: jsonResponse(AccountSchema, "The new account"),
    400: problems[400],
    401: problems[401],
    409: problems[409],
    422: problemResponseDoc(422, "account_limit: the customer holds the most accounts allowed"),
    503: problems[503],
  },
});
export type OpenRoute = typeof open;

export const list = createRoute({
  method: "get",
  path: "/accounts",
  tags: ["Accounts"],
  summary: "Your accounts",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(z.object({ data: z.array(AccountSchema) }).openapi("AccountList"), "Yours"),
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/accounts/{id}",
  tags: ["Accounts"],
  summary: "One of your accounts",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(AccountSchema, "The account"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

function cashRoute(kind: "deposit" | "withdraw", summary: string) {
  return createRoute({
    method: "post",
    path: `/accounts/{id}/${kind}`,
    tags: ["Accounts"],
    summary,
    description: kind === "deposit"
      ? "Credits your account. The movement is recorded on the ledger; send an " +
        "`Idempotency-Key` to make a retry safe."
      : "Debits your account; it never overdraws. A refusal (such as `insufficient_funds`) is " +
        "still recorded on the ledger and answered 422 with its `transaction_id`.",
    middleware: [requireUser] as const,
    security: [{ bearerAuth: [] }],
    request: {
      params: IdParams,
      headers: IdempotencyHeaders,
      body: jsonBody(CashMovementSchema),
    },
    responses: {
      201: jsonResponse(TransactionSchema, `The approved ${kind}`),
      400: problems[400],
      401: problems[401],
      404: problems[404],
      409: problems[409],
      422: problems[422],
      503: problems[503],
    },
  });
}

export const deposit = cashRoute("deposit", "Deposit into your account");
export type DepositRoute = typeof deposit;
export const withdraw = cashRoute("withdraw", "Withdraw from your account");
export type WithdrawRoute = typeof withdraw;

// What every status change shares: its path, its answers, and how a repeat is answered.
function statusRouteBase(action: "freeze" | "unfreeze" | "close", summary: string, text: string) {
  return {
    method: "post" as const,
    path: `/accounts/{id}/${action}`,
    tags: ["Accounts"],
    summary,
    description: text +
      " Asking for the status the account already has answers 200 and changes nothing (no " +
      "event); a closed account is final: anything else on it is a 409 " +
      "`account_already_closed`.",
    security: [{ bearerAuth: [] }],
    responses: {
      200: jsonResponse(AccountSchema, "The account as it now stands"),
      400: problems[400],
      401: problems[401],
      404: problems[404],
      409: action === "close"
        ? problemResponseDoc(
          409,
          "holds_active, balance_not_zero or payments_pending",
        )
        : problemResponseDoc(409, "account_already_closed: the account is closed"),
      503: problems[503],
    },
  };
}

export const freeze = createRoute({
  ...statusRouteBase(
    "freeze",
    "Freeze your account",
    "Money may still come in (deposits, transfers and payments to it); none goes out: " +
      "withdrawals, transfers, payments, new holds and hold captures from it are refused 422 " +
      "`account_frozen` and recorded. Event `account.frozen`.",
  ),
  middleware: [requireUser] as const,
  request: {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: { ...jsonBody(FreezeAccountSchema), required: false },
  },
});
export type FreezeRoute = typeof freeze;

export const unfreeze = createRoute({
  ...statusRouteBase(
    "unfreeze",
    "Unfreeze your account",
    "Money may leave the account again. Event `account.unfrozen`.",
  ),
  middleware: [requireUser] as const,
  request: { params: IdParams, headers: IdempotencyHeaders },
});
export type UnfreezeRoute = typeof unfreeze;

export const close = createRoute({
  ...statusRouteBase(
    "close",
    "Close your account",
    "Only an account with no active hold (409 `holds_active`), a zero balance (409 " +
      "`balance_not_zero`) and no pending outbound payment (409 `payments_pending`). " +
      "Afterwards nothing moves in or out (422 `account_closed`, recorded); an inbound payment " +
      "is returned `account_closed`. Event `account.closed`.",
  ),
  middleware: [requireUser] as const,
  request: { params: IdParams, headers: IdempotencyHeaders },
});
export type CloseRoute = typeof close;

export const balance = createRoute({
  method: "get",
  path: "/accounts/{id}/balance",
  tags: ["Accounts"],
  summary: "Your account's balance at a moment",
  description: "Computed from the ledger: the approved entries at or before `at` (on your " +
    "sandbox clock; default now). A moment after your clock's now is a 400: the future is not " +
    "known yet. Before the account's first entry the balance is 0.00.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, query: BalanceQuery },
  responses: {
    200: jsonResponse(BalanceAtSchema, "The balance at that moment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type BalanceRoute = typeof balance;
