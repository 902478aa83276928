/** Outbound payments: a debit now, and a payment the clearing network settles or returns later. */
import { currencyOf, parseAmount } from "../money.ts";
import { decidePayment, paymentJson, scheduledOutcome } from "../payments.ts";
import type {
  PaymentOutCommand,
  PaymentOutResult,
  PaymentState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { returnsAtFor, settlesAtFor } from "../payment_timing.ts";
import { ownAccount } from "./own_account.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans an outbound payment: decided like a transfer out of the bank (fraud rules, then funds);
 * either way a payment_out row and a Payment, `pending` or `rejected`.
 */
export function planPaymentOut(input: PlanInput<PaymentOutCommand>): Plan<PaymentOutResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  const verdict = input.refusal ?? decidePayment({
    from: account,
    amount,
    now,
    fraud: input.fraud,
    rules: input.rules,
  });
  const entry = ledgerRow(input, {
    type: "payment_out",
    fromAccountId: account.id,
    toAccountId: null,
    amount,
    currency: account.currency,
    verdict,
  });
  const outcome = scheduledOutcome(command.counterparty.account_number, "outbound");
  const settlesAt = settlesAtFor(command.rail, now, command.clearing);
  const payment: PaymentState = {
    id: input.newId(),
    userId: command.userId,
    accountId: account.id,
    direction: "outbound",
    rail: command.rail,
    amount,
    currency: account.currency,
    counterparty: command.counterparty,
    description: command.description,
    status: verdict.approved ? "pending" : "rejected",
    scheduledOutcome: outcome.kind,
    scheduledReturnReason: "reason" in outcome ? outcome.reason : null,
    returnReason: null,
    returnCode: null,
    returnsAt: returnsAtFor(outcome, settlesAt, command.clearing),
    transactionId: entry.id,
    returnTransactionId: null,
    createdAt: now,
    settlesAt,
    settledAt: null,
    returnedAt: null,
  };
  const created = {
    userId: command.userId,
    type: "payment.created",
    object: paymentJson(payment),
    createdAt: now,
  };
  return {
    verdict,
    ledger: [entry],
    held: [],
    holds: [],
    payments: [payment],
    events: [...transactionEvents(entry, command.userId), created],
    result: { entry, verdict, payment },
  };
}
