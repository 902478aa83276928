/** Account operations: opening one, deposits and withdrawals, freezing, unfreezing, closing. */
import { type AccountRow, findOwnAccount, openAccount as openInDb } from "../../db/accounts.ts";
import { balanceAt } from "../../db/balance_history.ts";
import {
  deposit as depositInDb,
  type MovementResult,
  withdraw as withdrawInDb,
} from "../../db/movements.ts";
import { changeAccountStatus } from "../../db/account_status.ts";
import { readUserClock } from "../../db/users.ts";
import type { StatusAction } from "../../domain/account_status.ts";
import type { AccountStatusResult } from "../../domain/pipeline.ts";
import { balanceMoment } from "../../domain/clocks.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { currencyOf, DEFAULT_CURRENCY, formatAmount } from "../../domain/money.ts";
import type { AppDeps } from "../app_env.ts";
import { toAccountJson } from "../accounts/schemas.ts";
import { okAnswer, transactionAnswer, type TransactionJson } from "./answers.ts";
import { type Answer, type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** An Account as JSON. */
export type AccountJson = ReturnType<typeof toAccountJson>;

/** The body of POST /accounts, as validated (every field optional). */
export interface OpenAccountBody {
  currency?: string;
}

/** Opens an account (201 Account); a repeated Idempotency-Key opens none and replays. */
export async function openAccount(
  deps: AppDeps,
  userId: string,
  body: OpenAccountBody,
  context: RequestContext,
): Promise<Ran<AccountRow, Success<201, AccountJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/accounts", body }, context },
    async ({ onRecorded }) => {
      const { now } = await readUserClock(deps.sql, userId, deps.clock());
      const currency = body.currency ?? DEFAULT_CURRENCY;
      return await openInDb(deps.sql, { userId, currency, now }, { onRecorded });
    },
    (account) => okAnswer(201, toAccountJson(account)),
  );
}

/** The body of a deposit or withdrawal, as validated. */
export interface CashBody {
  amount: string | number;
  description?: string | null;
}

/** A deposit or withdrawal on one of the user's accounts: 201 Transaction, or a 422 refusal. */
export async function cashMovement(
  deps: AppDeps,
  userId: string,
  input: { kind: "deposit" | "withdraw"; accountId: string; body: CashBody },
  context: RequestContext,
): Promise<Ran<MovementResult, Answer<201, TransactionJson>>> {
  const { kind, accountId, body } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/accounts/${accountId}/${kind}`, body }, context },
    (options) => {
      const command = {
        userId,
        accountId,
        amount: body.amount,
        description: body.description ?? null,
        realNow: deps.clock(),
      };
      return kind === "deposit"
        ? depositInDb(deps.sql, command, options)
        : withdrawInDb(deps.sql, { ...command, rules: deps.fraudRules }, options);
    },
    transactionAnswer,
  );
}

/** The body of a status change: a freeze may say why; the others take none. */
export interface StatusBody {
  reason?: string | null;
}

/**
 * Freezes, unfreezes or closes one of the user's accounts: 200 Account as it now stands (also
 * when it already stood so); 404 for another user's; 409 when it may not be (closed, or a close
 * that finds money, holds or pending payments on it).
 */
export async function changeStatus(
  deps: AppDeps,
  userId: string,
  input: { accountId: string; action: StatusAction; body: StatusBody },
  context: RequestContext,
): Promise<Ran<AccountStatusResult, Success<200, AccountJson>>> {
  const { accountId, action, body } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/accounts/${accountId}/${action}`, body }, context },
    (options) =>
      changeAccountStatus(deps.sql, {
        userId,
        accountId,
        action,
        reason: action === "freeze" ? body.reason ?? null : null,
        realNow: deps.clock(),
      }, options),
    ({ account }) => okAnswer(200, toAccountJson(account)),
  );
}

/** GET /accounts/{id}/balance: the user's account's ledger balance at `at` on their clock. */
export async function balanceAtMoment(
  deps: AppDeps,
  input: { userId: string; accountId: string; at?: string },
) {
  const { userId, accountId } = input;
  const account = await findOwnAccount(deps.sql, userId, accountId, deps.clock());
  if (!account) throw new NotFoundError("Account");
  const { now } = await readUserClock(deps.sql, userId, deps.clock());
  const at = balanceMoment(input.at === undefined ? undefined : new Date(input.at), now);
  const { balance, lastTransactionId } = await balanceAt(deps.sql, accountId, at);
  return {
    account_id: account.id,
    currency: account.currency,
    at: at.toISOString(),
    balance: formatAmount(balance, currencyOf(account.currency)),
    last_transaction_id: lastTransactionId,
  };
}
