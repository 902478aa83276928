/** Refunding what a card authorization captured: a card_refund row back into its account. */
import { checkAccountStatus } from "../account_status.ts";
import { decideCardRefund } from "../card_authorizations.ts";
import { currencyOf, parseAmount } from "../money.ts";
import { checkBalanceLimit } from "../movements.ts";
import type { CardRefundCommand, CardStepResult, Plan, PlanInput } from "../pipeline.ts";
import { authorizationEvent, ownAuthorization } from "./card_rows.ts";
import { ownAccount } from "./own_account.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans a refund of `amount` from the merchant: never more than was captured and not yet refunded
 * (refused and recorded: refund_exceeds_capture), in whatever state the authorization is.
 */
export function planCardRefund(input: PlanInput<CardRefundCommand>): Plan<CardStepResult> {
  const { command, now } = input;
  const authorization = ownAuthorization(input);
  const account = ownAccount(input, authorization.accountId);
  const amount = parseAmount(command.amount, currencyOf(authorization.currency));
  // Money in: a frozen account takes it, a closed one does not (account_closed, recorded).
  const open = checkAccountStatus(account, "in", "refund to the card's account");
  const refund = open.approved ? decideCardRefund(authorization, amount) : open;
  const verdict = refund.approved ? checkBalanceLimit(account, amount, "refund") : refund;
  const entry = ledgerRow(input, {
    type: "card_refund",
    fromAccountId: null,
    toAccountId: account.id,
    amount,
    currency: authorization.currency,
    verdict,
    description: `Refund: ${authorization.merchant.name}`,
  });
  const events = transactionEvents(entry, command.userId);
  if (!verdict.approved) {
    return {
      verdict,
      ledger: [entry],
      held: [],
      holds: [],
      payments: [],
      events,
      result: { authorization, entry, verdict },
    };
  }
  const refunded = {
    ...authorization,
    refundedAmount: authorization.refundedAmount + amount,
  };
  return {
    verdict,
    ledger: [entry],
    held: [],
    holds: [],
    payments: [],
    authorizations: [refunded],
    events: [...events, authorizationEvent("refunded", refunded, now)],
    result: { authorization: refunded, entry, verdict },
  };
}
