/**
 * Pricing an FX quote, in integer arithmetic only: the mid rate less the spread, cut to a decimal
 * rate of RATE_SIGNIFICANT_DIGITS digits (in the bank's favour), and the other side's amount from
 * it, rounded half-to-even to that currency's exponent. A quote never pays more than the mid rate
 * would: where rounding alone would (a few minor units), it is refused, so converting there and
 * back can never make money.
 */
import { ConflictError, InvalidInputError, RefusedError } from "./errors.ts";
import { divideRounded, type FxTable, midRate, type Rational } from "./fx_rates.ts";
import { AMOUNT_MAX_MINOR, currencyOf, findCurrency, formatAmount } from "./money.ts";

/** Digits a quoted rate keeps (e.g. "17.43526271" or "0.05681450000"). */
export const RATE_SIGNIFICANT_DIGITS = 10;

/** Basis points in one whole. */
const BPS_PER_WHOLE = 10_000n;

/** What a quote is asked for: a pair, and exactly one of the amounts, in minor units. */
export interface QuoteRequest {
  fromCurrency: string;
  toCurrency: string;
  /** Minor units of `fromCurrency` the customer sells; or */
  sellMinor?: bigint;
  /** minor units of `toCurrency` the customer wants to buy. */
  buyMinor?: bigint;
}

/** A priced quote: the rate as decimal text and both amounts in minor units. */
export interface QuoteTerms {
  fromCurrency: string;
  toCurrency: string;
  rate: string;
  sellMinor: bigint;
  buyMinor: bigint;
}

/** The pricing settings: the mid-rate table in force for the user, and the spread. */
export interface PricingOptions {
  table: FxTable;
  spreadBps: number;
}

/** Refuses a pair the sandbox cannot quote: an unknown code is a 400, the same one twice a 422. */
export function checkPair(fromCurrency: string, toCurrency: string): void {
  if (!findCurrency(fromCurrency)) {
    throw new InvalidInputError("from_currency", "is not a currency the sandbox supports");
  }
  if (!findCurrency(toCurrency)) {
    throw new InvalidInputError("to_currency", "is not a currency the sandbox supports");
  }
  if (fromCurrency === toCurrency) {
    throw new RefusedError(
      "unsupported_currency_pair",
      `Cannot quote ${fromCurrency} to ${toCurrency}: a quote converts between two currencies`,
      undefined,
      "unsupported_currency_pair",
    );
  }
}

/** The customer's rate: the mid rate less `spreadBps`, cut down to RATE_SIGNIFICANT_DIGITS digits. */
export function quotedRate(mid: Rational, spreadBps: number): { text: string; value: Rational } {
  const numerator = mid.numerator * (BPS_PER_WHOLE - BigInt(spreadBps));
  const denominator = mid.denominator * BPS_PER_WHOLE;
  return truncateSignificant({ numerator, denominator }, RATE_SIGNIFICANT_DIGITS);
}

/** Prices a quote for exactly one of sell or buy; refuses an amount too small to quote fairly. */
export function priceQuote(request: QuoteRequest, options: PricingOptions): QuoteTerms {
  const { fromCurrency, toCurrency } = request;
  checkPair(fromCurrency, toCurrency);
  const mid = midRate(fromCurrency, toCurrency, { table: options.table });
  const rate = quotedRate(mid, options.spreadBps);
  const scaleFrom = 10n ** BigInt(currencyOf(fromCurrency).exponent);
  const scaleTo = 10n ** BigInt(currencyOf(toCurrency).exponent);
  let sellMinor: bigint;
  let buyMinor: bigint;
  if (request.sellMinor !== undefined) {
    sellMinor = request.sellMinor;
    buyMinor = divideRounded(
      sellMinor * rate.value.numerator * scaleTo,
      rate.value.denominator * scaleFrom,
      "half_even",
    );
  } else if (request.buyMinor !== undefined) {
    buyMinor = request.buyMinor;
    sellMinor = divideRounded(
      buyMinor * rate.value.denominator * scaleFrom,
      rate.value.numerator * scaleTo,
      "half_even",
    );
  } else {
    throw new InvalidInputError("sell_amount", "give exactly one of sell_amount and buy_amount");
  }
  const terms = { fromCurrency, toCurrency, rate: rate.text, sellMinor, buyMinor };
  checkFair(terms, mid, { scaleFrom, scaleTo });
  return terms;
}

// Refuses terms where rounding pays out more than the mid rate (tiny amounts) or that leave the
// range one movement may carry.
function checkFair(
  terms: QuoteTerms,
  mid: Rational,
  scales: { scaleFrom: bigint; scaleTo: bigint },
): void {
  for (
    const [name, value, code] of [
      ["sell_amount", terms.sellMinor, terms.fromCurrency],
      ["buy_amount", terms.buyMinor, terms.toCurrency],
    ] as const
  ) {
    if (value > AMOUNT_MAX_MINOR) {
      throw new InvalidInputError(
        name,
        `converts to more than ${formatAmount(AMOUNT_MAX_MINOR, currencyOf(code))} ${code}`,
      );
    }
  }
  // buy / sell <= mid, in minor units: buy * scaleFrom * midD <= sell * scaleTo * midN.
  const paysAboveMid = terms.buyMinor * scales.scaleFrom * mid.denominator >
    terms.sellMinor * scales.scaleTo * mid.numerator;
  if (terms.sellMinor === 0n || terms.buyMinor === 0n || paysAboveMid) {
    throw new RefusedError(
      "amount_too_small",
      `Cannot quote: the amount is too small to convert ${terms.fromCurrency} to ` +
        `${terms.toCurrency} without rounding paying more than the mid rate`,
      undefined,
      "amount_too_small",
    );
  }
}

/** A quote as stored: its terms, its owner, when it ends and whether a transfer used it. */
export interface FxQuoteState extends QuoteTerms {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  transactionId: string | null;
  fromAccountId: string | null;
  toAccountId: string | null;
}

/** The 409 for a quote a transfer already used. */
export function quoteUsed(quote: FxQuoteState): ConflictError {
  return new ConflictError(
    "fx_quote_used",
    `The FX quote ${quote.id} was already used by transaction ${quote.transactionId}; ` +
      "ask for a new quote",
  );
}

/** The quote as JSON. */
export function quoteJson(quote: FxQuoteState) {
  return {
    id: quote.id,
    from_currency: quote.fromCurrency,
    to_currency: quote.toCurrency,
    rate: quote.rate,
    sell_amount: formatAmount(quote.sellMinor, currencyOf(quote.fromCurrency)),
    buy_amount: formatAmount(quote.buyMinor, currencyOf(quote.toCurrency)),
    expires_at: quote.expiresAt.toISOString(),
  };
}

/** Reads a stored decimal rate ("17.4352627100") as an exact fraction. */
export function rateOfText(text: string): Rational {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`Invalid quoted rate: ${text}`);
  const fraction = match[2] ?? "";
  return { numerator: BigInt(match[1] + fraction), denominator: 10n ** BigInt(fraction.length) };
}

// The largest decimal of `digits` significant digits not above `value` (> 0), and its text.
function truncateSignificant(value: Rational, digits: number): { text: string; value: Rational } {
  const low = 10n ** BigInt(digits - 1);
  const high = 10n ** BigInt(digits);
  // value * 10^shift lands in [low, high): shift is how many decimals the rate keeps.
  let shift = 0;
  const scaled = (k: number) =>
    k >= 0
      ? (value.numerator * 10n ** BigInt(k)) / value.denominator
      : value.numerator / (value.denominator * 10n ** BigInt(-k));
  while (scaled(shift) >= high) shift--;
  while (scaled(shift) < low) shift++;
  const kept = scaled(shift);
  if (shift <= 0) {
    const whole = kept * 10n ** BigInt(-shift);
    return { text: String(whole), value: { numerator: whole, denominator: 1n } };
  }
  const padded = String(kept).padStart(shift + 1, "0");
  const fraction = padded.slice(padded.length - shift).replace(/0+$/, "");
  const whole = padded.slice(0, padded.length - shift);
  const text = fraction ? `${whole}.${fraction}` : whole;
  return { text, value: rateOfText(text) };
}
