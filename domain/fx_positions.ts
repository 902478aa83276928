/**
 * The bank's own FX position accounts, one per currency (migrations/0014_fx.sql creates them with
 * these ids). A cross-currency transfer pays the source currency into the position of that
 * currency and takes the destination currency out of the position of the other, so each currency's
 * money is conserved; a position may go negative (the bank is short of that currency).
 */
import { CURRENCIES } from "./money.ts";

/** The user that owns the position accounts: the bank itself (nobody can sign in as it). */
export const FX_DESK_USER_ID = "00000000-0000-4000-8000-000000000f00";

/** What an account is: a customer's, or one of the bank's FX positions. */
export type AccountKind = "customer" | "fx_position";

const POSITION_IDS: Readonly<Record<string, string>> = Object.freeze({
  ZAR: "00000000-0000-4000-8000-000000000f01",
  USD: "00000000-0000-4000-8000-000000000f02",
  EUR: "00000000-0000-4000-8000-000000000f03",
  GBP: "00000000-0000-4000-8000-000000000f04",
  CHF: "00000000-0000-4000-8000-000000000f05",
  JPY: "00000000-0000-4000-8000-000000000f06",
  KWD: "00000000-0000-4000-8000-000000000f07",
});

/** The id of the bank's position account in `currency`. */
export function fxPositionAccountId(currency: string): string {
  const id = POSITION_IDS[currency];
  if (!id) throw new Error(`No FX position account for ${currency}`);
  return id;
}

/** Every position account's id, by currency. */
export function fxPositionAccounts(): { currency: string; id: string }[] {
  return CURRENCIES.map((currency) => ({
    currency: currency.code,
    id: fxPositionAccountId(currency.code),
  }));
}

// Every supported currency needs its position: a gap would only show at the first transfer into it.
for (const currency of CURRENCIES) fxPositionAccountId(currency.code);
