/**
 * A user's own mid rates (POST /simulations/fx_rates): checked once here, then merged over the
 * table that ships with the sandbox. The base stays ZAR at exactly 1; the fraud limits keep the
 * shipped table (they are the bank's, not one user's).
 */
import { InvalidInputError } from "./errors.ts";
import { type FxTable, parseRate, SANDBOX_FX_TABLE } from "./fx_rates.ts";
import { findCurrency } from "./money.ts";

/** Checks every override: a supported code, a positive decimal rate, the base only at "1". */
export function validateOverrides(rates: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [code, text] of Object.entries(rates)) {
    const field = `rates.${code}`;
    if (!findCurrency(code)) {
      throw new InvalidInputError(field, "is not a currency the sandbox supports");
    }
    try {
      parseRate(text);
    } catch {
      throw new InvalidInputError(
        field,
        'must be a positive decimal rate such as "0.0571" (at most 12 digits each side)',
      );
    }
    if (code === SANDBOX_FX_TABLE.base && text !== "1") {
      throw new InvalidInputError(field, `is the base currency: its rate is always "1"`);
    }
    checked[code] = text;
  }
  return checked;
}

/** The table a user's quotes are priced by: the shipped rates, with the user's own over them. */
export function tableWithOverrides(overrides: Readonly<Record<string, string>>): FxTable {
  return {
    base: SANDBOX_FX_TABLE.base,
    rates: { ...SANDBOX_FX_TABLE.rates, ...validateOverrides(overrides) },
  };
}
