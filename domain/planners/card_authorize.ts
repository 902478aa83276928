/** A merchant's authorization on a card: a hold on the card's account, or a recorded decline. */
import {
  type AuthorizationState,
  checkAccountOpen,
  checkCardActive,
  simulatedDecline,
} from "../card_authorizations.ts";
import { NotFoundError } from "../errors.ts";
import { APPROVED, type Verdict } from "../ledger.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type { AccountFacts } from "../movements.ts";
import type {
  CardAuthorizeCommand,
  CardAuthorizeResult,
  CardState,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { holdCreated, newHold, screenHold } from "./hold_place.ts";
import { ownAccount } from "./own_account.ts";
import { ledgerRow, transactionEvents } from "./rows.ts";
import { authorizationEvent } from "./card_rows.ts";

/**
 * Plans an authorization. Declined, in this order, when the request simulates a decline, the card
 * is not active, the account may not be debited, a fraud rule refuses it, or the available balance
 * is short: a declined authorization and its rejected card_authorization row. Approved: a hold
 * (source card) through the holds' own placement, and the pending authorization.
 */
export function planCardAuthorization(
  input: PlanInput<CardAuthorizeCommand>,
): Plan<CardAuthorizeResult> {
  const { command, now } = input;
  const card = input.card(command.cardId);
  if (!card || card.userId !== command.userId) throw new NotFoundError("Card");
  const account = ownAccount(input, card.accountId);
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  const verdict = decideAuthorization(input, { card, account, amount });
  const base: AuthorizationState = {
    id: input.newId(),
    userId: command.userId,
    cardId: card.id,
    accountId: account.id,
    holdId: null,
    amount,
    capturedAmount: 0n,
    refundedAmount: 0n,
    currency: account.currency,
    merchant: command.merchant,
    status: "pending",
    declineReason: null,
    transactionId: null,
    createdAt: now,
    expiresAt: null,
  };
  if (!verdict.approved) {
    const entry = ledgerRow(input, {
      type: "card_authorization",
      fromAccountId: account.id,
      toAccountId: null,
      amount,
      currency: account.currency,
      verdict,
      description: command.merchant.name,
    });
    const declined: AuthorizationState = {
      ...base,
      status: "declined",
      declineReason: verdict.code,
      transactionId: entry.id,
    };
    return {
      verdict,
      ledger: [entry],
      held: [],
      holds: [],
      payments: [],
      authorizations: [declined],
      events: [
        ...transactionEvents(entry, command.userId),
        authorizationEvent("declined", declined, now),
      ],
      result: { authorization: declined, entry, verdict },
    };
  }
  const hold = newHold(input, {
    account,
    amount,
    source: "card",
    description: `Card authorization: ${command.merchant.name}`,
    expiresAt: new Date(now.getTime() + command.expiresInSeconds * 1000),
  });
  const pending = { ...base, holdId: hold.id, expiresAt: hold.expiresAt };
  return {
    verdict,
    ledger: [],
    held: [{ accountId: account.id, delta: amount }],
    holds: [hold],
    payments: [],
    authorizations: [pending],
    events: [holdCreated(hold, now), authorizationEvent("created", pending, now)],
    result: { authorization: pending, entry: null, verdict },
  };
}

// The first refusal wins: a simulated decline, the card, the account, then fraud and funds.
function decideAuthorization(
  input: PlanInput<CardAuthorizeCommand>,
  facts: { card: CardState; account: AccountFacts; amount: bigint },
): Verdict {
  const { simulateDecline } = input.command;
  const checks: (() => Verdict)[] = [
    () => simulateDecline ? simulatedDecline(simulateDecline) : APPROVED,
    () => checkCardActive(facts.card.status),
    () => checkAccountOpen(facts.account),
    () => screenHold(input, { ...facts, kind: "card_authorization" }),
  ];
  for (const check of checks) {
    const verdict = check();
    if (!verdict.approved) return verdict;
  }
  return APPROVED;
}
