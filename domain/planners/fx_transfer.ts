/**
 * Cross-currency transfers: a transfer that carries one of the user's FX quotes. Approved, it is
 * two ledger rows sharing the quote: the source currency from the customer into the bank's
 * position in that currency, and the destination currency out of the bank's position in the other
 * into the destination account, so each currency's money is conserved. The quote is used once.
 */
import { checkSameBusinessTime } from "../clocks.ts";
import { NotFoundError } from "../errors.ts";
import { screenOutflow } from "../fraud/mod.ts";
import { fxPositionAccountId } from "../fx_positions.ts";
import { type FxQuoteState, quoteUsed } from "../fx_quotes.ts";
import {
  APPROVED,
  type FxDetail,
  type LedgerEntry,
  refuse,
  type TransactionType,
  type Verdict,
} from "../ledger.ts";
import { currencyOf, formatAmount, parseAmount } from "../money.ts";
import {
  type AccountFacts,
  checkBalanceLimit,
  checkFunds,
  checkTransferStatus,
} from "../movements.ts";
import type {
  MovementResult,
  Plan,
  PlanInput,
  PlannedEvent,
  TransferCommand,
} from "../pipeline.ts";
import { transactionJson } from "../representations.ts";
import { destinationAccount, ownAccount } from "./own_account.ts";
import { emptyPlan, ledgerRow, movementPlan } from "./rows.ts";

/**
 * Plans a transfer with quote `quoteId`. Another user's or an unknown quote is a 404, a used one a
 * 409 (nothing recorded); every other refusal is a rejected row in the source currency.
 */
export function planFxTransfer(
  input: PlanInput<TransferCommand>,
  quoteId: string,
): Plan<MovementResult> {
  const { command } = input;
  const from = ownAccount(input, command.fromAccountId);
  const to = destinationAccount(input, command.toAccountId);
  const quote = input.fxQuote(quoteId);
  if (!quote || quote.userId !== command.userId) throw new NotFoundError("FX quote");
  if (quote.usedAt !== null) throw quoteUsed(quote);
  const amount = parseAmount(command.amount, currencyOf(from.currency));
  const verdict = input.refusal ?? decideFxTransfer(input, { from, to, quote, amount });
  if (!verdict.approved) {
    return movementPlan(input, {
      type: "transfer",
      fromAccountId: from.id,
      toAccountId: to.id,
      amount,
      currency: from.currency,
      verdict,
      receiver: to.userId,
    });
  }
  return convertPlan(input, { from, to, quote });
}

/** What an FX transfer is decided on, besides the command's clock, fraud facts and rules. */
interface FxFacts {
  from: AccountFacts;
  to: AccountFacts;
  quote: FxQuoteState;
  amount: bigint;
}

/**
 * The rules, in order: two accounts, one business time, the quote's currencies are the accounts',
 * the quote still valid on the initiator's clock, the amount is the quote's, then the fraud rules
 * (on the source amount), the funds, and the destination's balance limit (on the bought amount).
 */
function decideFxTransfer(input: PlanInput<TransferCommand>, facts: FxFacts): Verdict {
  const { from, to, quote, amount } = facts;
  const { now } = input;
  if (from.id === to.id) {
    return refuse(
      "same_account",
      "Cannot transfer: the source and destination are the same account",
    );
  }
  // The lifecycle's rule, as for any transfer: nothing out of a frozen or closed account, nothing
  // into a closed one.
  const status = checkTransferStatus(from, to);
  if (!status.approved) return status;
  const offset = Number(to.clockOffsetSeconds - from.clockOffsetSeconds) * 1000;
  const clocks = checkSameBusinessTime(now, new Date(now.getTime() + offset));
  if (!clocks.approved) return clocks;
  if (quote.fromCurrency !== from.currency || quote.toCurrency !== to.currency) {
    return refuse(
      "fx_quote_mismatch",
      `Cannot transfer: the quote converts ${quote.fromCurrency} to ${quote.toCurrency}, ` +
        `the accounts hold ${from.currency} and ${to.currency}`,
    );
  }
  if (quote.expiresAt <= now) {
    return refuse(
      "fx_quote_expired",
      `Cannot transfer: the FX quote expired at ${quote.expiresAt.toISOString()}; ask for a new one`,
    );
  }
  if (amount !== quote.sellMinor) {
    const currency = currencyOf(from.currency);
    return refuse(
      "fx_amount_mismatch",
      `Cannot transfer ${formatAmount(amount, currency)} ${currency.code}: the quote sells ` +
        `${formatAmount(quote.sellMinor, currency)} ${currency.code}`,
    );
  }
  const fraud = screenOutflow(input.rules, {
    kind: "transfer",
    amount,
    currency: currencyOf(from.currency),
    now,
  }, input.fraud);
  if (!fraud.approved) return fraud;
  const funds = checkFunds(from, amount, "transfer");
  if (!funds.approved) return funds;
  return checkBalanceLimit(to, quote.buyMinor, "transfer");
}

// The approved conversion: the two legs, the quote marked used, and the events.
function convertPlan(
  input: PlanInput<TransferCommand>,
  facts: Omit<FxFacts, "amount">,
): Plan<MovementResult> {
  const { from, to, quote } = facts;
  const detail = {
    quoteId: quote.id,
    rate: quote.rate,
    sourceAmount: quote.sellMinor,
    sourceCurrency: quote.fromCurrency,
    destinationAmount: quote.buyMinor,
    destinationCurrency: quote.toCurrency,
    fromAccountId: from.id,
    toAccountId: to.id,
  };
  const source = leg(input, { ...detail, leg: "source" }, {
    fromAccountId: from.id,
    toAccountId: position(input, quote.fromCurrency),
    amount: quote.sellMinor,
    currency: quote.fromCurrency,
  });
  const destination = leg(input, { ...detail, leg: "destination" }, {
    fromAccountId: position(input, quote.toCurrency),
    toAccountId: to.id,
    amount: quote.buyMinor,
    currency: quote.toCurrency,
  });
  const used: FxQuoteState = {
    ...quote,
    usedAt: input.now,
    transactionId: source.id,
    fromAccountId: from.id,
    toAccountId: to.id,
  };
  const events: PlannedEvent[] = [event(source, input.command.userId)];
  if (to.userId !== input.command.userId) events.push(event(destination, to.userId));
  return {
    ...emptyPlan({ entry: source, verdict: APPROVED }),
    ledger: [source, destination],
    fxQuotes: [used],
    events,
  };
}

function leg(
  input: PlanInput<TransferCommand>,
  fx: FxDetail,
  row: { fromAccountId: string; toAccountId: string; amount: bigint; currency: string },
): LedgerEntry {
  const type: TransactionType = "transfer";
  return { ...ledgerRow(input, { ...row, type, verdict: APPROVED }), fx };
}

// The bank's position account in `currency`, locked for this group with the quote.
function position(input: PlanInput<TransferCommand>, currency: string): string {
  const id = fxPositionAccountId(currency);
  const account = input.account(id);
  if (!account || account.kind !== "fx_position") {
    throw new Error(`The FX position account for ${currency} was not locked for this transfer`);
  }
  return id;
}

function event(entry: LedgerEntry, userId: string): PlannedEvent {
  return {
    userId,
    type: "transaction.approved",
    object: transactionJson(entry),
    createdAt: entry.createdAt,
  };
}
