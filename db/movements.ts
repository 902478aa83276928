/**
 * Deposits and withdrawals, as commands of the movement pipeline (db/pipeline.ts): decided by
 * their planners in domain/planners/, written by the one writer, committed in groups.
 */
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { MovementResult } from "../domain/pipeline.ts";
import type { Sql } from "./client.ts";
import { submit, type SubmitOptions } from "./pipeline.ts";

export type { MovementResult } from "../domain/pipeline.ts";

/** Hooks into a movement's transaction, and how it queues (see SubmitOptions). */
export type MovementOptions = SubmitOptions<MovementResult>;

/** A deposit or withdrawal on one of the user's own accounts. */
export interface SingleAccountCommand {
  userId: string;
  accountId: string;
  /** As the client sent it; parsed in the account's currency. */
  amount: string | number;
  description: string | null;
  /** Real time of the request; the user's sandbox clock is added inside. */
  realNow: Date;
}

/** The fraud rules an outflow is screened by (each declares the facts and window it reads). */
export interface OutflowRules {
  rules: readonly FraudRule[];
}

/** Credits the user's account from outside the bank. */
export function deposit(
  sql: Sql,
  command: SingleAccountCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  return submit<"deposit">(sql, { kind: "deposit", ...command }, undefined, options);
}

/** Debits the user's account to outside the bank, after the fraud rules; never overdraws. */
export function withdraw(
  sql: Sql,
  command: SingleAccountCommand & OutflowRules,
  options: MovementOptions = {},
): Promise<MovementResult> {
  const { rules, ...rest } = command;
  return submit<"withdraw">(sql, { kind: "withdraw", ...rest }, { rules }, options);
}
