/** Deposits: money from outside the bank into the initiator's own account. */
import { currencyOf, parseAmount } from "../money.ts";
import { decideDeposit } from "../movements.ts";
import type { DepositCommand, MovementResult, Plan, PlanInput } from "../pipeline.ts";
import { ownAccount } from "./own_account.ts";
import { movementPlan } from "./rows.ts";

/** Plans a deposit: refused only past the balance limit. */
export function planDeposit(input: PlanInput<DepositCommand>): Plan<MovementResult> {
  const account = ownAccount(input, input.command.accountId);
  const amount = parseAmount(input.command.amount, currencyOf(account.currency));
  const verdict = decideDeposit(account, amount);
  return movementPlan(input, {
    type: "deposit",
    fromAccountId: null,
    toAccountId: account.id,
    amount,
    currency: account.currency,
    verdict,
  });
}
