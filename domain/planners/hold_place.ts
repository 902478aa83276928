/** Placing a hold: money reserved on the initiator's account until captured, voided or expired. */
import { checkAccountStatus } from "../account_status.ts";
import { screenOutflow } from "../fraud/mod.ts";
import { decideHold, holdJson } from "../holds.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { HoldPlaceCommand, HoldPlaceResult, HoldState, Plan, PlanInput } from "../pipeline.ts";
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
  const currency = currencyOf(account.currency);
  const amount = parseAmount(command.amount, currency);
  const status = checkAccountStatus(account, "out", "place a hold");
  const fraud = status.approved
    ? screenOutflow(input.rules, { kind: "hold", amount, currency, now }, input.fraud)
    : status;
  const verdict = fraud.approved ? decideHold(account, amount) : fraud;
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
  const hold: HoldState = {
    id: input.newId(),
    userId: command.userId,
    accountId: account.id,
    amount,
    capturedAmount: 0n,
    currency: account.currency,
    status: "active",
    description: command.description,
    captureTransactionId: null,
    expiresAt: new Date(now.getTime() + command.expiresInSeconds * 1000),
    createdAt: now,
    closedAt: null,
  };
  return {
    verdict,
    ledger: [],
    held: [{ accountId: account.id, delta: amount }],
    holds: [hold],
    payments: [],
    events: [{
      userId: command.userId,
      type: "hold.created",
      object: holdJson(hold),
      createdAt: now,
    }],
    result: { hold, entry: null, verdict },
  };
}
