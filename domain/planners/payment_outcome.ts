/** Settling and returning payments: the clearing network's outcomes, and the money they move. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { APPROVED } from "../ledger.ts";
import { decideDeposit } from "../movements.ts";
import { assertReturnable, PAYMENT_RETURN_WINDOW_DAYS_DEFAULT } from "../payment_timing.ts";
import { paymentJson, returnCodeFor } from "../payments.ts";
import type {
  PaymentChangeResult,
  PaymentOutcome,
  PaymentOutcomeCommand,
  PaymentState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { emptyPlan, ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans a payment's settlement or return. Forced by a simulation it happens now; scheduled, it
 * happens at the payment's due time with the outcome the network scheduled (for a payment the
 * network settles and later takes back, the return falls due at its `returnsAt`). Money moves only
 * when it comes in: an outbound return credits the account back (payment_return), before or after
 * settlement; an inbound settlement credits it (payment_in) unless the account refuses the credit
 * (a balance limit, a closed account), when the payment goes back and the refused credit is
 * recorded.
 */
export function planPaymentOutcome(
  input: PlanInput<PaymentOutcomeCommand>,
): Plan<PaymentChangeResult> {
  const { payment, outcome, at } = dueOutcome(input);
  const credits = (outcome.kind === "return") === (payment.direction === "outbound");
  if (!credits) return changed(outcomeState(payment, outcome, at, null), at, []);
  const account = input.account(payment.accountId);
  if (!account) throw new NotFoundError("Account");
  const verdict = outcome.kind === "return" ? APPROVED : decideDeposit(account, payment.amount);
  const entry = ledgerRow(input, {
    type: outcome.kind === "return" ? "payment_return" : "payment_in",
    fromAccountId: null,
    toAccountId: account.id,
    amount: payment.amount,
    currency: payment.currency,
    verdict,
    description: payment.description,
    at,
  });
  const ended = verdict.approved
    ? outcomeState(payment, outcome, at, entry.id)
    : outcomeState(payment, { kind: "return", reason: verdict.reason }, at, null, entry.id);
  const plan = changed(ended, at, transactionEvents(entry, payment.userId));
  return { ...plan, verdict, ledger: [entry] };
}

// The payment, what happens to it and when: the forced outcome now (a return is checked against
// the return window), or the scheduled one at its due time; a 409 when nothing may happen.
function dueOutcome(
  input: PlanInput<PaymentOutcomeCommand>,
): { payment: PaymentState; outcome: PaymentOutcome; at: Date } {
  const { command, now } = input;
  const payment = input.payment(command.paymentId);
  if (!payment || payment.userId !== command.userId) throw new NotFoundError("Payment");
  if (command.outcome?.kind === "return") {
    assertReturnable(payment, now, command.returnWindowDays ?? PAYMENT_RETURN_WINDOW_DAYS_DEFAULT);
    return { payment, outcome: command.outcome, at: now };
  }
  if (command.outcome) {
    assertPending(payment, "settle");
    return { payment, outcome: command.outcome, at: now };
  }
  const returnsAt = payment.returnsAt;
  if (payment.status === "settled" && returnsAt && returnsAt <= now) {
    const reason = payment.scheduledReturnReason ?? "other";
    return { payment, outcome: { kind: "return", reason }, at: returnsAt };
  }
  assertPending(payment, "settle");
  const due = payment.scheduledOutcome !== "manual" && payment.settlesAt <= now;
  if (!due) {
    throw new ConflictError("payment_not_due", "Cannot settle the payment: it is not due yet");
  }
  return { payment, outcome: scheduledOutcomeOf(payment), at: payment.settlesAt };
}

function assertPending(payment: PaymentState, verb: string): void {
  if (payment.status !== "pending") {
    throw new ConflictError(
      "payment_not_pending",
      `Cannot ${verb} the payment: it is ${payment.status}, not pending`,
    );
  }
}

function scheduledOutcomeOf(payment: PaymentState): PaymentOutcome {
  return payment.scheduledOutcome === "return"
    ? { kind: "return", reason: payment.scheduledReturnReason ?? "other" }
    : { kind: "settle" };
}

// The payment once settled or returned at `at`; `credit` is the ledger row that moved the money in.
function outcomeState(
  payment: PaymentState,
  outcome: PaymentOutcome,
  at: Date,
  credit: string | null,
  refusedCredit?: string,
): PaymentState {
  if (outcome.kind === "settle") {
    return {
      ...payment,
      status: "settled",
      settledAt: at,
      transactionId: payment.transactionId ?? credit,
    };
  }
  return {
    ...payment,
    status: "returned",
    returnReason: outcome.reason,
    returnCode: outcome.code ?? returnCodeFor(outcome.reason),
    returnedAt: at,
    returnTransactionId: payment.direction === "outbound" ? credit : null,
    transactionId: payment.transactionId ?? credit ?? refusedCredit ?? null,
  };
}

function changed(
  after: PaymentState,
  at: Date,
  events: Plan["events"],
): Plan<PaymentChangeResult> {
  const type = after.status === "settled" ? "payment.settled" : "payment.returned";
  return {
    ...emptyPlan({ payment: after }),
    payments: [after],
    events: [...events, { userId: after.userId, type, object: paymentJson(after), createdAt: at }],
  };
}
