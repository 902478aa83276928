/** Raising a pending card authorization: its hold reserves more, screened like a new one. */
import { checkAccountOpen } from "../card_authorizations.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { CardIncrementCommand, CardStepResult, Plan, PlanInput } from "../pipeline.ts";
import { expireAuthorization, isDue, pendingAuthorization } from "./card_rows.ts";
import { screenHold } from "./hold_place.ts";
import { ownAccount } from "./own_account.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans an increment of `amount`: the account, the fraud rules and the available balance decide
 * it as they decide an authorization. Refused: a rejected card_authorization row (422), the
 * authorization unchanged. Approved: it and its hold grow by `amount`.
 */
export function planCardIncrement(input: PlanInput<CardIncrementCommand>): Plan<CardStepResult> {
  const { command, now } = input;
  const { authorization, hold } = pendingAuthorization(input, "increment");
  if (isDue(authorization, now)) return expireAuthorization(authorization, hold, "increment");
  const account = ownAccount(input, authorization.accountId);
  const amount = parseAmount(command.amount, currencyOf(authorization.currency));
  const open = checkAccountOpen(account);
  const verdict = open.approved
    ? screenHold(input, { account, amount, kind: "card_authorization" })
    : open;
  if (!verdict.approved) {
    const entry = ledgerRow(input, {
      type: "card_authorization",
      fromAccountId: account.id,
      toAccountId: null,
      amount,
      currency: account.currency,
      verdict,
      description: authorization.merchant.name,
    });
    return {
      verdict,
      ledger: [entry],
      held: [],
      holds: [],
      payments: [],
      events: transactionEvents(entry, command.userId),
      result: { authorization, entry, verdict },
    };
  }
  const raised = { ...authorization, amount: authorization.amount + amount };
  return {
    verdict,
    ledger: [],
    held: [{ accountId: account.id, delta: amount }],
    holds: [{ ...hold, amount: hold.amount + amount }],
    payments: [],
    authorizations: [raised],
    events: [],
    result: { authorization: raised, verdict },
  };
}
