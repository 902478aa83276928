/** A simulated debit order announced on one of the user's accounts: a row and an event. */
import { businessDayAfter } from "../business_days.ts";
import { debitOrderJson, type DebitOrderState } from "../debit_orders.ts";
import { InvalidInputError } from "../errors.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { DebitOrderCreateCommand, DebitOrderResult, Plan, PlanInput } from "../pipeline.ts";
import { dueAt, todayOn } from "../schedules.ts";
import { ownAccount } from "./own_account.ts";
import { emptyPlan } from "./rows.ts";

/**
 * Plans a debit order on the user's own account, collected on `collect_on` (today or later on
 * the user's clock; default the next business day) in that day's clearing run.
 */
export function planDebitOrderCreate(
  input: PlanInput<DebitOrderCreateCommand>,
): Plan<DebitOrderResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  const today = todayOn(command.calendar, now);
  const collectOn = command.collectOn ?? businessDayAfter(command.calendar, today);
  if (collectOn < today) {
    throw new InvalidInputError("collect_on", `must be today (${today}) or later on your clock`);
  }
  const debitOrder: DebitOrderState = {
    id: input.newId(),
    userId: command.userId,
    accountId: account.id,
    amount,
    currency: account.currency,
    creditor: command.creditor,
    collectOn,
    collectAt: dueAt(command.calendar, collectOn, now),
    status: "scheduled",
    reason: null,
    transactionId: null,
    reversalTransactionId: null,
    createdAt: now,
    collectedAt: null,
    reversedAt: null,
  };
  return {
    ...emptyPlan({ debitOrder }),
    debitOrders: [debitOrder],
    events: [{
      userId: command.userId,
      type: "debit_order.created",
      object: debitOrderJson(debitOrder),
      createdAt: now,
    }],
  };
}
