/** Capturing a card authorization, in parts or at once: card_capture rows out of its account. */
import { checkAccountStatus } from "../account_status.ts";
import { type AuthorizationState, decideCardCapture } from "../card_authorizations.ts";
import { reservedBy } from "../holds.ts";
import { currencyOf, parseAmount } from "../money.ts";
import { checkFunds } from "../movements.ts";
import type {
  CardCaptureCommand,
  CardStepResult,
  HoldState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import {
  authorizationEvent,
  expireAuthorization,
  isDue,
  pendingAuthorization,
} from "./card_rows.ts";
import { holdEvent } from "./hold_rows.ts";
import { ownAccount } from "./own_account.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans a capture of `amount`: within the authorization (or 20 % past it for tip MCCs), the part
 * past what the hold still reserves paid from the available balance; a frozen or closed account
 * captures nothing (its hold stays, to be reversed or to expire). A `final` capture, or one
 * that reaches the authorized amount, closes the authorization and releases the rest. A refusal is
 * a rejected card_capture row; an authorization past its expiry is expired instead (409).
 */
export function planCardCapture(input: PlanInput<CardCaptureCommand>): Plan<CardStepResult> {
  const { command, now } = input;
  const { authorization, hold } = pendingAuthorization(input, "capture");
  if (isDue(authorization, now)) return expireAuthorization(authorization, hold, "capture");
  const account = ownAccount(input, authorization.accountId);
  const amount = parseAmount(command.amount, currencyOf(authorization.currency));
  // A frozen account pays nothing out, a capture included (contract: "none goes out").
  const open = checkAccountStatus(account, "out", "capture the card payment");
  let verdict = open.approved ? decideCardCapture(authorization, amount) : open;
  // What the hold does not cover (a tip) must be there to spend, as any debit.
  const fresh = amount - reservedBy(hold);
  if (verdict.approved && fresh > 0n) verdict = checkFunds(account, fresh, "capture");
  const entry = ledgerRow(input, {
    type: "card_capture",
    fromAccountId: authorization.accountId,
    toAccountId: null,
    amount,
    currency: authorization.currency,
    verdict,
    description: authorization.merchant.name,
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
  const capturedAmount = authorization.capturedAmount + amount;
  const closes = command.final || capturedAmount >= authorization.amount;
  const captured: AuthorizationState = {
    ...authorization,
    capturedAmount,
    transactionId: entry.id,
    status: closes ? "closed" : "pending",
  };
  const heldAfter: HoldState = closes
    ? { ...hold, capturedAmount, status: "captured", closedAt: now }
    : { ...hold, capturedAmount };
  const released = reservedBy(hold) - (closes ? 0n : reservedBy(heldAfter));
  return {
    verdict,
    ledger: [entry],
    held: [{ accountId: hold.accountId, delta: -released }],
    holds: [heldAfter],
    payments: [],
    authorizations: [captured],
    events: [
      ...events,
      ...(closes ? [holdEvent("hold.captured", heldAfter, now)] : []),
      authorizationEvent("captured", captured, now),
    ],
    result: { authorization: captured, entry, verdict },
  };
}
