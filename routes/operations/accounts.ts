/** Account operations: opening one, deposits and withdrawals. */
import { type AccountRow, openAccount as openInDb } from "../../db/accounts.ts";
import {
  deposit as depositInDb,
  type MovementResult,
  withdraw as withdrawInDb,
} from "../../db/movements.ts";
import { readUserClock } from "../../db/users.ts";
import { DEFAULT_CURRENCY } from "../../domain/money.ts";
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
