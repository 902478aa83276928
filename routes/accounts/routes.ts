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
import { AccountSchema, CashMovementSchema, OpenAccountSchema } from "./schemas.ts";

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
