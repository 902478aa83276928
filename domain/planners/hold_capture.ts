/** Capturing a hold: the reserved money leaves the account as a hold_capture row. */
import { checkAccountStatus } from "../account_status.ts";
import { NotFoundError } from "../errors.ts";
import { decideCapture } from "../holds.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { HoldCaptureCommand, HoldCaptureResult, Plan, PlanInput } from "../pipeline.ts";
import { activeHold, expirePlan, holdEvent, notActive } from "./hold_rows.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans a capture of `amount` (default all) of an active hold: the capture leaves the account and
 * the rest is released. More than the hold is refused (recorded, capture_exceeds_hold); a hold past
 * its expiry is expired instead and the capture answers 409. A capture is money leaving, so a
 * frozen or closed account refuses it (recorded); the hold stays active, to be captured once the
 * account is unfrozen, or voided, or to expire.
 */
export function planHoldCapture(input: PlanInput<HoldCaptureCommand>): Plan<HoldCaptureResult> {
  const { command, now } = input;
  const hold = activeHold(input, "capture");
  if (hold.expiresAt <= now) {
    return expirePlan(
      hold,
      (expired) => ({ hold: expired, conflict: notActive("capture", "expired") }),
    );
  }
  const amount = command.amount === undefined
    ? hold.amount
    : parseAmount(command.amount, currencyOf(hold.currency));
  const account = input.account(hold.accountId);
  if (!account) throw new NotFoundError("Account");
  const status = checkAccountStatus(account, "out", "capture the hold");
  const verdict = status.approved ? decideCapture(hold.amount, amount, hold.currency) : status;
  const entry = ledgerRow(input, {
    type: "hold_capture",
    fromAccountId: hold.accountId,
    toAccountId: null,
    amount,
    currency: hold.currency,
    verdict,
    description: hold.description,
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
      result: { hold, entry, verdict },
    };
  }
  const captured = {
    ...hold,
    status: "captured" as const,
    capturedAmount: amount,
    captureTransactionId: entry.id,
    closedAt: now,
  };
  return {
    verdict,
    ledger: [entry],
    held: [{ accountId: hold.accountId, delta: -hold.amount }],
    holds: [captured],
    payments: [],
    events: [...events, holdEvent("hold.captured", captured, now)],
    result: { hold: captured, entry, verdict },
  };
}
