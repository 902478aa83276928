/** Placing a hold: money reserved on the initiator's account until captured, voided or expired. */
import { checkAccountStatus } from "../account_status.ts";
import { type OutflowKind, screenOutflow } from "../fraud/mod.ts";
import { decideHold, holdJson, type HoldSource } from "../holds.ts";
import type { Verdict } from "../ledger.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { AccountFacts } from "../movements.ts";
import type {
  Command,
  HoldPlaceCommand,
  HoldPlaceResult,
  HoldState,
  Plan,
  PlanInput,
  PlannedEvent,
} from "../pipeline.ts";
import { ownAccount } from "./own_account.ts";
import { movementPlan } from "./rows.ts";

/**
 * Plans a hold: refused on a frozen or closed account (a hold is money on its way out), then
 * screened by the fraud rules like any outflow, then against the available
 * balance. An approved hold moves no money (no ledger row; the hold reserves it); a refused one
 * is a rejected `hold` row with its reason, so the audit trail keeps the attempt.
 */
export function planHoldPlacement(input: PlanInput<HoldPlaceCommand>): Plan<HoldPlaceResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const status = checkAccountStatus(account, "out", "place a hold");
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  const verdict = status.approved ? screenHold(input, { account, amount, kind: "hold" }) : status;
  if (!verdict.approved) {
    const refused = movementPlan(input, {
      type: "hold",
      fromAccountId: account.id,
      toAccountId: null,
      amount,
      currency: account.currency,
      verdict,
    });
    const [entry] = refused.ledger;
    return { ...refused, result: { hold: null, entry, verdict } };
  }
  const hold = newHold(input, {
    account,
    amount,
    source: "api",
    description: command.description,
    expiresAt: new Date(now.getTime() + command.expiresInSeconds * 1000),
  });
  return {
    verdict,
    ledger: [],
    held: [{ accountId: account.id, delta: amount }],
    holds: [hold],
    payments: [],
    events: [holdCreated(hold, now)],
    result: { hold, entry: null, verdict },
  };
}

/**
 * Whether `amount` more may be reserved on `account`: the fraud rules that screen `kind`, then the
 * available balance. Fraud is screened first so a risky attempt is named as such.
 */
export function screenHold(
  input: PlanInput<Command>,
  attempt: { account: AccountFacts; amount: bigint; kind: OutflowKind },
): Verdict {
  const { account, amount, kind } = attempt;
  const currency = currencyOf(account.currency);
  const fraud = screenOutflow(input.rules, { kind, amount, currency, now: input.now }, input.fraud);
  return fraud.approved ? decideHold(account, amount) : fraud;
}

/** A new active hold on the initiator's account, placed now. */
export function newHold(
  input: PlanInput<Command>,
  hold: {
    account: AccountFacts;
    amount: bigint;
    source: HoldSource;
    description: string | null;
    expiresAt: Date;
  },
): HoldState {
  return {
    id: input.newId(),
    userId: input.command.userId,
    accountId: hold.account.id,
    amount: hold.amount,
    capturedAmount: 0n,
    currency: hold.account.currency,
    status: "active",
    source: hold.source,
    description: hold.description,
    captureTransactionId: null,
    expiresAt: hold.expiresAt,
    createdAt: input.now,
    closedAt: null,
  };
}

/** The hold.created event. */
export function holdCreated(hold: HoldState, at: Date): PlannedEvent {
  return { userId: hold.userId, type: "hold.created", object: holdJson(hold), createdAt: at };
}
