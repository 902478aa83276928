/** Handlers for accounts, deposits and withdrawals. */
import { findOwnAccount, listAccounts, openAccount } from "../../db/accounts.ts";
import { deposit as runDeposit, withdraw as runWithdraw } from "../../db/movements.ts";
import { readUserClock } from "../../db/users.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { DEFAULT_CURRENCY } from "../../domain/money.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { respondToMovement } from "../movements.ts";
import type { DepositRoute, GetOneRoute, ListRoute, OpenRoute, WithdrawRoute } from "./routes.ts";
import { toAccountJson } from "./schemas.ts";

export const open: AppRouteHandler<OpenRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json") ?? {};
  const { now } = await readUserClock(deps.sql, userId, deps.clock());
  const account = await openAccount(deps.sql, {
    userId,
    currency: body.currency ?? DEFAULT_CURRENCY,
    now,
  });
  return c.json(toAccountJson(account), 201);
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
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const response = await respondToMovement(c, body, (options) =>
    runDeposit(deps.sql, {
      userId,
      accountId: id,
      amount: body.amount,
      description: body.description ?? null,
      realNow: deps.clock(),
    }, options));
  return response as never;
};

export const withdraw: AppRouteHandler<WithdrawRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const response = await respondToMovement(c, body, (options) =>
    runWithdraw(deps.sql, {
      userId,
      accountId: id,
      amount: body.amount,
      description: body.description ?? null,
      realNow: deps.clock(),
      rules: deps.fraudRules,
    }, options));
  return response as never;
};
