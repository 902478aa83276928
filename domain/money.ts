/** Money as integer minor units: parsed from text, formatted per currency exponent, never a float. */
import { InvalidInputError } from "./errors.ts";

/** A currency the sandbox supports, with its ISO 4217 exponent (digits after the point). */
export interface Currency {
  code: string;
  exponent: number;
}

/** Every currency the sandbox supports; ZAR is the default. */
export const CURRENCIES: readonly Currency[] = [
  { code: "ZAR", exponent: 2 },
  { code: "USD", exponent: 2 },
  { code: "EUR", exponent: 2 },
  { code: "GBP", exponent: 2 },
  { code: "CHF", exponent: 2 },
  { code: "JPY", exponent: 0 },
  { code: "KWD", exponent: 3 },
];

/** The currency a new account gets when none is asked for. */
export const DEFAULT_CURRENCY = "ZAR";

/** The largest amount one movement may carry, in minor units: keeps every sum far from BIGINT overflow. */
export const AMOUNT_MAX_MINOR = 10n ** 15n;

/** The largest balance an account may hold, in minor units. */
export const BALANCE_MAX_MINOR = 10n ** 17n;

/** Looks up a supported currency by its code, or undefined. */
export function findCurrency(code: string): Currency | undefined {
  return CURRENCIES.find((currency) => currency.code === code);
}

/** Looks up a currency that must exist (it came from the database). */
export function currencyOf(code: string): Currency {
  const currency = findCurrency(code);
  if (!currency) throw new Error(`Unsupported currency in stored data: ${code}`);
  return currency;
}

const DECIMAL_PATTERN = /^(\d{1,20})(?:\.(\d{1,20}))?$/;

/**
 * Parses an amount given as decimal text (or a JSON number, taken through its shortest text form)
 * into minor units of `currency`. Refuses signs, exponents, too many decimals, zero, amounts
 * above AMOUNT_MAX_MINOR, and whitespace around the digits (`" 5"` is not an amount in the API;
 * the pages trim what was typed, `routes/pages/forms.ts` `pageAmount`).
 */
export function parseAmount(input: string | number, currency: Currency, field = "amount"): bigint {
  const text = typeof input === "number" ? numberText(input) : input;
  const match = text === undefined ? null : DECIMAL_PATTERN.exec(text);
  if (!match) {
    throw new InvalidInputError(field, 'must be a positive decimal amount such as "500.00"');
  }
  const [, whole, fraction = ""] = match;
  if (fraction.length > currency.exponent) {
    throw new InvalidInputError(
      field,
      `has more than ${currency.exponent} decimal places for ${currency.code}`,
    );
  }
  const minor = BigInt(whole) * 10n ** BigInt(currency.exponent) +
    BigInt(fraction.padEnd(currency.exponent, "0") || "0");
  if (minor <= 0n) throw new InvalidInputError(field, "must be greater than zero");
  if (minor > AMOUNT_MAX_MINOR) {
    throw new InvalidInputError(
      field,
      `must be at most ${formatAmount(AMOUNT_MAX_MINOR, currency)}`,
    );
  }
  return minor;
}

// A JSON number has already been read as a double; its shortest round-trip text is what the
// client wrote for any amount a client would send. Exponent forms (1e21, 1e-7) are refused.
function numberText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/**
 * Converts a configured decimal threshold (already validated as digits with an optional
 * fraction) into minor units of `currency`, dropping digits finer than the currency's minor
 * unit: a limit of 150000.50 is 150000 in JPY, which has none.
 */
export function thresholdInMinorUnits(text: string, currency: Currency): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`Invalid threshold: ${text}`);
  const fraction = (match[2] ?? "").slice(0, currency.exponent).padEnd(currency.exponent, "0");
  return BigInt(match[1]) * 10n ** BigInt(currency.exponent) + BigInt(fraction || "0");
}

/** Formats minor units as a decimal string with exactly the currency's decimals: 50000n → "500.00". */
export function formatAmount(minor: bigint, currency: Currency): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(currency.exponent + 1, "0");
  const whole = digits.slice(0, digits.length - currency.exponent);
  const fraction = digits.slice(digits.length - currency.exponent);
  return `${negative ? "-" : ""}${whole}${currency.exponent > 0 ? "." + fraction : ""}`;
}
