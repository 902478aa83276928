/** Withdrawals: money out of the initiator's own account to outside the bank. */
import { checkAccountStatus } from "../account_status.ts";
import { screenOutflow } from "../fraud/mod.ts";
import { currencyOf, parseAmount } from "../money.ts";
import { decideWithdrawal } from "../movements.ts";
import type { MovementResult, Plan, PlanInput, WithdrawCommand } from "../pipeline.ts";
import { ownAccount } from "./own_account.ts";
import { movementPlan } from "./rows.ts";

/**
 * Plans a withdrawal: the account's status first (a frozen or closed account lets nothing out),
 * then the fraud rules (an outflow like any other), then the funds.
 */
export function planWithdrawal(input: PlanInput<WithdrawCommand>): Plan<MovementResult> {
  const account = ownAccount(input, input.command.accountId);
  const currency = currencyOf(account.currency);
  const amount = parseAmount(input.command.amount, currency);
  const status = checkAccountStatus(account, "out", "withdraw");
  const fraud = status.approved
    ? screenOutflow(
      input.rules,
      { kind: "withdraw", amount, currency, now: input.now },
      input.fraud,
    )
    : status;
  const verdict = fraud.approved ? decideWithdrawal(account, amount) : fraud;
  return movementPlan(input, {
    type: "withdraw",
    fromAccountId: account.id,
    toAccountId: null,
    amount,
    currency: account.currency,
    verdict,
  });
}
