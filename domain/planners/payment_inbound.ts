/** Simulated inbound payments: announced now, credited when the clearing network settles them. */
import { currencyOf, parseAmount } from "../money.ts";
import { paymentJson, scheduledOutcome } from "../payments.ts";
import type {
  PaymentChangeResult,
  PaymentInboundCommand,
  PaymentState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { returnsAtFor, settlesAtFor } from "../payment_timing.ts";
import { ownAccount } from "./own_account.ts";
import { emptyPlan } from "./rows.ts";

/** Plans an inbound payment's announcement: a pending Payment; no money moves yet. */
export function planPaymentInbound(
  input: PlanInput<PaymentInboundCommand>,
): Plan<PaymentChangeResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  const outcome = scheduledOutcome(command.counterparty.account_number, "inbound");
  const settlesAt = settlesAtFor(command.rail, now, command.clearing);
  const payment: PaymentState = {
    id: input.newId(),
    userId: command.userId,
    accountId: account.id,
    direction: "inbound",
    rail: command.rail,
    amount,
    currency: account.currency,
    counterparty: command.counterparty,
    description: command.description,
    status: "pending",
    scheduledOutcome: outcome.kind,
    scheduledReturnReason: "reason" in outcome ? outcome.reason : null,
    returnReason: null,
    returnCode: null,
    returnsAt: returnsAtFor(outcome, settlesAt, command.clearing),
    transactionId: null,
    returnTransactionId: null,
    createdAt: now,
    settlesAt,
    settledAt: null,
    returnedAt: null,
  };
  return {
    ...emptyPlan({ payment }),
    payments: [payment],
    events: [{
      userId: command.userId,
      type: "payment.created",
      object: paymentJson(payment),
      createdAt: now,
    }],
  };
}
