/** Handlers for accounts, deposits and withdrawals, status changes and balances in time. */
import { findOwnAccount, listAccounts } from "../../db/accounts.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../app_env.ts";
import { answerFor, runWithRequest, successFor } from "../movements.ts";
import {
  balanceAtMoment,
  cashMovement,
  changeStatus,
  openAccount,
} from "../operations/accounts.ts";
import { TransactionSchema } from "../transactions/schemas.ts";
import type {
  BalanceRoute,
  CloseRoute,
  DepositRoute,
  FreezeRoute,
  GetOneRoute,
  ListRoute,
  OpenRoute,
  UnfreezeRoute,
  WithdrawRoute,
} from "./routes.ts";
import { AccountSchema, toAccountJson } from "./schemas.ts";

export const open: AppRouteHandler<OpenRoute> = async (c) => {
  const body = c.req.valid("json") ?? {};
  const ran = await runWithRequest(
    c,
    (context) => openAccount(c.var.deps, c.var.userId, body, context),
  );
  const answer = await successFor(ran, { status: 201, schema: AccountSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const accounts = await listAccounts(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  return c.json({ data: accounts.map(toAccountJson) }, 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const account = await findOwnAccount(c.var.deps.sql, c.var.userId, id, c.var.deps.clock());
  if (!account) throw new NotFoundError("Account");
  return c.json(toAccountJson(account), 200);
};

export const deposit: AppRouteHandler<DepositRoute> = async (c) => {
  const input = { kind: "deposit" as const, accountId: c.req.valid("param").id };
  const answer = await cashMoved(c, { ...input, body: c.req.valid("json") });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const withdraw: AppRouteHandler<WithdrawRoute> = async (c) => {
  const input = { kind: "withdraw" as const, accountId: c.req.valid("param").id };
  const answer = await cashMoved(c, { ...input, body: c.req.valid("json") });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

/** A deposit's or withdrawal's answer: 201 with its ledger row, or the refusal naming it. */
async function cashMoved(c: Context<AppEnv>, input: Parameters<typeof cashMovement>[2]) {
  const ran = await runWithRequest(
    c,
    (context) => cashMovement(c.var.deps, c.var.userId, input, context),
  );
  return await answerFor(ran, { status: 201, schema: TransactionSchema });
}

export const freeze: AppRouteHandler<FreezeRoute> = async (c) => {
  const input = { accountId: c.req.valid("param").id, action: "freeze" as const };
  const answer = await statusChanged(c, { ...input, body: c.req.valid("json") ?? {} });
  return c.json(answer.body, answer.status, answer.headers);
};

export const unfreeze: AppRouteHandler<UnfreezeRoute> = async (c) => {
  const input = { accountId: c.req.valid("param").id, action: "unfreeze" as const };
  const answer = await statusChanged(c, { ...input, body: {} });
  return c.json(answer.body, answer.status, answer.headers);
};

export const close: AppRouteHandler<CloseRoute> = async (c) => {
  const input = { accountId: c.req.valid("param").id, action: "close" as const };
  const answer = await statusChanged(c, { ...input, body: {} });
  return c.json(answer.body, answer.status, answer.headers);
};

/** A status change's answer: 200 with the account as it now stands. */
async function statusChanged(c: Context<AppEnv>, input: Parameters<typeof changeStatus>[2]) {
  const ran = await runWithRequest(
    c,
    (context) => changeStatus(c.var.deps, c.var.userId, input, context),
  );
  return await successFor(ran, { status: 200, schema: AccountSchema });
}

export const balance: AppRouteHandler<BalanceRoute> = async (c) => {
  const body = await balanceAtMoment(c.var.deps, {
    userId: c.var.userId,
    accountId: c.req.valid("param").id,
    at: c.req.valid("query").at,
  });
  return c.json(body, 200);
};
