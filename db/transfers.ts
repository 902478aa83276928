/**
 * Transfers, as commands of the movement pipeline (db/pipeline.ts): planned by
 * domain/planners/transfer.ts, written by the one writer, committed in groups with whatever else
 * is queued beside them.
 */
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { Sql } from "./client.ts";
import type { MovementOptions, MovementResult } from "./movements.ts";
import { submit } from "./pipeline.ts";

export { GROUP_STUCK_MS, groupStats } from "./pipeline.ts";

/** A transfer out of one of the user's accounts to any account. */
export interface TransferCommand {
  userId: string;
  fromAccountId: string;
  toAccountId: string;
  /** Between two currencies: the user's FX quote. */
  fxQuoteId?: string;
  amount: string | number;
  description: string | null;
  realNow: Date;
  rules: readonly FraudRule[];
}

/**
 * Moves money from the user's account to any account, after the fraud rules, in a group with the
 * commands queued beside it. `alone` gives it a group of its own, in its turn; `unqueued` sends it
 * to the database alone, straight away.
 */
export function transfer(
  sql: Sql,
  command: TransferCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  const { rules, ...rest } = command;
  return submit<"transfer">(sql, { kind: "transfer", ...rest }, { rules }, options);
}
