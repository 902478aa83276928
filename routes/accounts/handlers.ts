/** Handlers for accounts, deposits and withdrawals. */
import { findOwnAccount, listAccounts } from "../../db/accounts.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { answerFor, runWithRequest, successFor } from "../movements.ts";
import { cashMovement, openAccount } from "../operations/accounts.ts";
import { TransactionSchema } from "../transactions/schemas.ts";
import type { DepositRoute, GetOneRoute, ListRoute, OpenRoute, WithdrawRoute } from "./routes.ts";
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
  const input = {
    kind: "deposit" as const,
    accountId: c.req.valid("param").id,
    body: c.req.valid("json"),
  };
  const ran = await runWithRequest(
    c,
    (context) => cashMovement(c.var.deps, c.var.userId, input, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: TransactionSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const withdraw: AppRouteHandler<WithdrawRoute> = async (c) => {
  const input = {
    kind: "withdraw" as const,
    accountId: c.req.valid("param").id,
    body: c.req.valid("json"),
  };
  const ran = await runWithRequest(
    c,
    (context) => cashMovement(c.var.deps, c.var.userId, input, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: TransactionSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};
