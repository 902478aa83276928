/** A rule's amount in every currency: configured per currency, or the FX equivalent of its ZAR figure. */
import { convertMinor, SANDBOX_FX_TABLE } from "../fx_rates.ts";
import { CURRENCIES, currencyOf, thresholdInMinorUnits } from "../money.ts";

/** Per-currency figures configured for a rule, decimal text by currency code (the base excluded). */
export type CurrencyOverrides = Readonly<Record<string, string>>;

/** The currency a rule's main figure is set in: the FX table's base, ZAR. */
export const THRESHOLD_BASE_CURRENCY = SANDBOX_FX_TABLE.base;

/**
 * Minor units of every supported currency for a rule set at `baseAmount` (decimal text in ZAR):
 * a configured figure where there is one, else the ZAR figure at the sandbox's mid rate, rounded
 * down to the currency's minor unit, so an amount passes only if it is worth no more than the ZAR
 * limit. Never below one minor unit: a positive limit never refuses every amount.
 */
export function amountsByCurrency(
  baseAmount: string,
  overrides: CurrencyOverrides = {},
): ReadonlyMap<string, bigint> {
  if (THRESHOLD_BASE_CURRENCY in overrides) {
    throw new Error(`The ${THRESHOLD_BASE_CURRENCY} figure is the rule's own; it has no override`);
  }
  const base = currencyOf(THRESHOLD_BASE_CURRENCY);
  const baseMinor = thresholdInMinorUnits(baseAmount, base);
  const amounts = new Map<string, bigint>();
  for (const currency of CURRENCIES) {
    const configured = overrides[currency.code];
    const minor = configured !== undefined
      ? thresholdInMinorUnits(configured, currency)
      : convertMinor(baseMinor, { from: base.code, to: currency.code, rounding: "floor" });
    amounts.set(currency.code, minor > 0n ? minor : 1n);
  }
  for (const code of Object.keys(overrides)) {
    if (!amounts.has(code)) throw new Error(`Fraud threshold for unsupported currency ${code}`);
  }
  return amounts;
}
