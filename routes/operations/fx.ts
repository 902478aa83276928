/** The FX operations the API and the pages share: the rate table, overrides, and quotes. */
import { insertQuote, readRateFacts, saveRateOverrides } from "../../db/fx.ts";
import { InvalidInputError, UnauthorizedError } from "../../domain/errors.ts";
import { tableWithOverrides, validateOverrides } from "../../domain/fx_overrides.ts";
import { checkPair, type FxQuoteState, priceQuote, quoteJson } from "../../domain/fx_quotes.ts";
import type { FxTable } from "../../domain/fx_rates.ts";
import { currencyOf, parseAmount } from "../../domain/money.ts";
import type { AppDeps } from "../app_env.ts";

/** GET /fx/rates as JSON: the user's mid rates, as of the user's sandbox time. */
export interface RatesJson {
  base: string;
  rates: Record<string, string>;
  as_of: string;
}

/** The mid rates in force for the user (the shipped table with the user's overrides). */
export async function readRates(deps: AppDeps, userId: string): Promise<RatesJson> {
  const { table, now } = await ratesFor(deps, userId);
  return ratesJson(table, now);
}

/** Replaces the user's own mid rates ({} returns to the shipped table) and answers the new table. */
export async function setRates(
  deps: AppDeps,
  userId: string,
  body: { rates: Record<string, string | undefined> },
): Promise<RatesJson> {
  const given = Object.entries(body.rates).flatMap(([code, rate]) =>
    rate === undefined ? [] : [[code, rate] as const]
  );
  const rates = validateOverrides(Object.fromEntries(given));
  const { now } = await ratesFor(deps, userId);
  await saveRateOverrides(deps.sql, userId, { rates, now });
  return ratesJson(tableWithOverrides(rates), now);
}

/** The body of POST /fx/quotes, as validated (exactly one of the amounts). */
export interface QuoteBody {
  from_currency: string;
  to_currency: string;
  sell_amount?: string | number;
  buy_amount?: string | number;
}

/** Prices and stores a quote valid FX_QUOTE_SECONDS on the user's sandbox clock. */
export async function createQuote(
  deps: AppDeps,
  userId: string,
  body: QuoteBody,
): Promise<FxQuoteState> {
  checkPair(body.from_currency, body.to_currency);
  if ((body.sell_amount === undefined) === (body.buy_amount === undefined)) {
    throw new InvalidInputError("sell_amount", "give exactly one of sell_amount and buy_amount");
  }
  const sellMinor = body.sell_amount === undefined
    ? undefined
    : parseAmount(body.sell_amount, currencyOf(body.from_currency), "sell_amount");
  const buyMinor = body.buy_amount === undefined
    ? undefined
    : parseAmount(body.buy_amount, currencyOf(body.to_currency), "buy_amount");
  const { table, now } = await ratesFor(deps, userId);
  const terms = priceQuote(
    { fromCurrency: body.from_currency, toCurrency: body.to_currency, sellMinor, buyMinor },
    { table, spreadBps: deps.config.fx.spreadBps },
  );
  const quote: FxQuoteState = {
    ...terms,
    id: crypto.randomUUID(),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.fx.quoteSeconds * 1000),
    usedAt: null,
    transactionId: null,
    fromAccountId: null,
    toAccountId: null,
  };
  await insertQuote(deps.sql, quote);
  return quote;
}

export { quoteJson };

async function ratesFor(deps: AppDeps, userId: string): Promise<{ table: FxTable; now: Date }> {
  const facts = await readRateFacts(deps.sql, userId, deps.clock());
  if (!facts) throw new UnauthorizedError("The bearer token names no user of this bank");
  return { table: tableWithOverrides(facts.overrides), now: facts.now };
}

function ratesJson(table: FxTable, now: Date): RatesJson {
  return { base: table.base, rates: { ...table.rates }, as_of: now.toISOString() };
}
