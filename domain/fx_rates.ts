/**
 * The mid-rate table that ships with the sandbox, and exact conversion between currencies: rates
 * are decimal strings read as fractions of bigints, so no float takes part in any conversion.
 */
import { CURRENCIES, currencyOf } from "./money.ts";

/** A mid-rate table: how many units of each currency one unit of `base` buys, as decimal text. */
export interface FxTable {
  base: string;
  rates: Readonly<Record<string, string>>;
}

/**
 * The sandbox's own mid rates (units of each currency per 1 ZAR). Short decimals on purpose: a
 * round ZAR figure converts to a round figure elsewhere (150000 ZAR is 8565.00 USD).
 */
export const SANDBOX_FX_TABLE: FxTable = Object.freeze({
  base: "ZAR",
  rates: Object.freeze({
    ZAR: "1",
    USD: "0.0571",
    EUR: "0.0493",
    GBP: "0.0426",
    CHF: "0.0461",
    JPY: "8.47",
    KWD: "0.01752",
  }),
});

/** An exact positive rate: `numerator / denominator` units of one currency per unit of another. */
export interface Rational {
  numerator: bigint;
  denominator: bigint;
}

/** How a conversion lands on a whole minor unit: down, up, or to the nearest (ties to even). */
export type Rounding = "floor" | "ceil" | "half_even";

const RATE_PATTERN = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

/** Reads a positive decimal rate such as "0.0571" as an exact reduced fraction. */
export function parseRate(text: string): Rational {
  const match = RATE_PATTERN.exec(text);
  if (!match) throw new Error(`Invalid FX rate: ${text}`);
  const fraction = match[2] ?? "";
  const numerator = BigInt(match[1] + fraction);
  if (numerator === 0n) throw new Error(`Invalid FX rate: ${text} is not positive`);
  return reduce({ numerator, denominator: 10n ** BigInt(fraction.length) });
}

/** Units of `to` that one unit of `from` buys at the table's mid rates, exactly. */
export function midRate(from: string, to: string, options: { table?: FxTable } = {}): Rational {
  const table = options.table ?? SANDBOX_FX_TABLE;
  const perBaseFrom = rateOf(table, from);
  const perBaseTo = rateOf(table, to);
  // to per from = (to per base) / (from per base).
  return reduce({
    numerator: perBaseTo.numerator * perBaseFrom.denominator,
    denominator: perBaseTo.denominator * perBaseFrom.numerator,
  });
}

/** What converting one amount takes: the two currency codes, the rounding, and optionally a table. */
export interface ConversionOptions {
  from: string;
  to: string;
  rounding: Rounding;
  table?: FxTable;
}

/**
 * Converts minor units of `from` into minor units of `to` at the mid rate, exponents included
 * (100 JPY minor units are 100 yen; 1000 KWD minor units are 1 dinar), rounded as asked.
 */
export function convertMinor(amountMinor: bigint, options: ConversionOptions): bigint {
  const rate = midRate(options.from, options.to, { table: options.table });
  const scaleFrom = 10n ** BigInt(currencyOf(options.from).exponent);
  const scaleTo = 10n ** BigInt(currencyOf(options.to).exponent);
  return divideRounded(
    amountMinor * rate.numerator * scaleTo,
    rate.denominator * scaleFrom,
    options.rounding,
  );
}

/** `numerator / denominator` (denominator > 0) as a whole number, rounded as asked. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator <= 0n) throw new Error("divideRounded needs a positive denominator");
  // bigint division truncates toward zero; floor is one less for a negative inexact quotient.
  let floor = numerator / denominator;
  const remainder = numerator - floor * denominator;
  if (remainder < 0n) floor -= 1n;
  const rest = remainder < 0n ? remainder + denominator : remainder;
  if (rest === 0n || rounding === "floor") return floor;
  if (rounding === "ceil") return floor + 1n;
  const twice = 2n * rest;
  if (twice < denominator) return floor;
  if (twice > denominator) return floor + 1n;
  return floor % 2n === 0n ? floor : floor + 1n;
}

function rateOf(table: FxTable, code: string): Rational {
  const text = table.rates[code];
  if (text === undefined) throw new Error(`No mid rate for ${code} in the FX table`);
  return parseRate(text);
}

function reduce(rate: Rational): Rational {
  const divisor = gcd(rate.numerator, rate.denominator);
  return { numerator: rate.numerator / divisor, denominator: rate.denominator / divisor };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

// The shipped table must price every supported currency and its base at exactly 1: a gap would
// only show when someone first converted into that currency.
for (const currency of CURRENCIES) rateOf(SANDBOX_FX_TABLE, currency.code);
if (SANDBOX_FX_TABLE.rates[SANDBOX_FX_TABLE.base] !== "1") {
  throw new Error("The FX table's base currency must have rate 1");
}
