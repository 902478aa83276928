/** Reversing a card authorization in part or whole, and its expiry when its time comes. */
import { type AuthorizationState } from "../card_authorizations.ts";
import { ConflictError } from "../errors.ts";
import { reservedBy } from "../holds.ts";
import { currencyOf, formatAmount, parseAmount } from "../money.ts";
import type {
  CardExpireCommand,
  CardReverseCommand,
  CardStepResult,
  HoldState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import {
  authorizationEvent,
  expireAuthorization,
  isDue,
  notPending,
  ownAuthorization,
  pendingAuthorization,
} from "./card_rows.ts";
import { holdEvent } from "./hold_rows.ts";

/**
 * Plans a reversal of `amount` (default: all it still reserves). Part of it: the authorization and
 * its hold shrink. All of it: the hold is released and the authorization is reversed, or closed if
 * something was captured. More than it reserves is a 409 (nothing is reserved to give back).
 */
export function planCardReversal(input: PlanInput<CardReverseCommand>): Plan<CardStepResult> {
  const { command, now } = input;
  const { authorization, hold } = pendingAuthorization(input, "reverse");
  if (isDue(authorization, now)) return expireAuthorization(authorization, hold, "reverse");
  const currency = currencyOf(authorization.currency);
  const left = reservedBy(hold);
  const amount = command.amount === undefined ? left : parseAmount(command.amount, currency);
  if (amount > left) {
    throw new ConflictError(
      "reversal_exceeds_authorization",
      `Cannot reverse ${formatAmount(amount, currency)} ${currency.code}: the authorization ` +
        `reserves ${formatAmount(left, currency)} ${currency.code}`,
    );
  }
  const whole = amount === left;
  const captured = authorization.capturedAmount > 0n;
  const reversed: AuthorizationState = {
    ...authorization,
    amount: authorization.amount - amount,
    status: !whole ? "pending" : captured ? "closed" : "reversed",
  };
  const heldAfter: HoldState = !whole
    ? { ...hold, amount: hold.amount - amount }
    : captured
    ? { ...hold, amount: reversed.amount, status: "captured", closedAt: now }
    : { ...hold, status: "voided", closedAt: now };
  const holdEvents = whole
    ? [holdEvent(captured ? "hold.captured" : "hold.voided", heldAfter, now)]
    : [];
  return {
    verdict: { approved: true },
    ledger: [],
    held: [{ accountId: hold.accountId, delta: -amount }],
    holds: [heldAfter],
    payments: [],
    authorizations: [reversed],
    events: [...holdEvents, authorizationEvent("reversed", reversed, now)],
    result: { authorization: reversed },
  };
}

/** Plans an expiry: only of a pending authorization whose expiry has come on its owner's clock. */
export function planCardExpiry(input: PlanInput<CardExpireCommand>): Plan<CardStepResult> {
  const authorization = ownAuthorization(input);
  if (authorization.status !== "pending") throw notPending("expire", authorization.status);
  if (!isDue(authorization, input.now)) {
    throw new ConflictError(
      "authorization_not_due",
      "Cannot expire the card authorization: its expiry has not come",
    );
  }
  const { hold } = pendingAuthorization(input, "expire");
  return expireAuthorization(authorization, hold);
}
