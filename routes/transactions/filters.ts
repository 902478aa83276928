/** The ledger list's amount range, read in the currency of the accounts it searches. */
import { InvalidInputError } from "../../domain/errors.ts";
import { currencyOf, DEFAULT_CURRENCY, parseAmount } from "../../domain/money.ts";

/**
 * `amount_min` and `amount_max` in minor units. Decimal text means nothing without a currency, so
 * the accounts searched must share one (pass `account_id` otherwise); a reversed range is a 400.
 */
export function amountBounds(
  query: { amount_min?: string; amount_max?: string },
  currencies: string[],
): { amountMin?: bigint; amountMax?: bigint } {
  if (query.amount_min === undefined && query.amount_max === undefined) return {};
  const distinct = [...new Set(currencies)];
  if (distinct.length > 1) {
    const field = query.amount_min !== undefined ? "amount_min" : "amount_max";
    throw new InvalidInputError(
      field,
      "needs account_id when your accounts hold more than one currency",
    );
  }
  const currency = currencyOf(distinct[0] ?? DEFAULT_CURRENCY);
  const read = (text: string | undefined, field: string) =>
    text === undefined ? undefined : parseAmount(text, currency, field);
  const amountMin = read(query.amount_min, "amount_min");
  const amountMax = read(query.amount_max, "amount_max");
  if (amountMin !== undefined && amountMax !== undefined && amountMin > amountMax) {
    throw new InvalidInputError("amount_min", "must not be more than amount_max");
  }
  return { amountMin, amountMax };
}
