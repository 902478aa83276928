/**
 * Foreign exchange in SQL: the user's mid-rate overrides and sandbox time, quotes stored and read,
 * and the conversion a ledger leg belongs to. Quotes are marked used only by the writer
 * (db/writer.ts), in the statement that moves the money. Nothing here decides anything.
 */
import type { FxQuoteState } from "../domain/fx_quotes.ts";
import type { FxDetail } from "../domain/ledger.ts";
import type { Fragment, Queryable } from "./client.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** The columns of an fx_quotes row `x` as FxQuoteState reads them. */
export function fxQuoteColumnsSql(sql: Queryable, x: Fragment): Fragment {
  return sql`${x}.id, ${x}.user_id, ${x}.from_currency, ${x}.to_currency, ${x}.rate,
    ${x}.sell_amount AS sell_minor, ${x}.buy_amount AS buy_minor, ${x}.created_at,
    ${x}.expires_at, ${x}.used_at, ${x}.transaction_id, ${x}.from_account_id, ${x}.to_account_id`;
}

/** The user's rate overrides (none: the shipped table) and the user's sandbox time. */
export async function readRateFacts(
  sql: Queryable,
  userId: string,
  realNow: Date,
): Promise<{ overrides: Record<string, string>; now: Date } | undefined> {
  const [row] = await sql<{ rates: Record<string, string> | null; now: Date }[]>`
    SELECT r.rates, ${sandboxNowSql(sql, sql`${realNow}::timestamptz`)} AS now
    FROM users u LEFT JOIN fx_rate_overrides r ON r.user_id = u.id
    WHERE u.id = ${userId}`;
  return row && { overrides: row.rates ?? {}, now: row.now };
}

/** Replaces the user's overrides (validated by domain/fx_overrides.ts); {} restores the table. */
export async function saveRateOverrides(
  sql: Queryable,
  userId: string,
  options: { rates: Record<string, string>; now: Date },
): Promise<void> {
  await sql`
    INSERT INTO fx_rate_overrides (user_id, rates, set_at)
    VALUES (${userId}, ${JSON.stringify(options.rates)}::text::jsonb, ${options.now})
    ON CONFLICT (user_id) DO UPDATE SET rates = excluded.rates, set_at = excluded.set_at`;
}

/** Stores a new, unused quote. */
export async function insertQuote(sql: Queryable, quote: FxQuoteState): Promise<void> {
  await sql`
    INSERT INTO fx_quotes (id, user_id, from_currency, to_currency, rate, sell_amount, buy_amount,
      created_at, expires_at)
    VALUES (${quote.id}, ${quote.userId}, ${quote.fromCurrency}, ${quote.toCurrency}, ${quote.rate},
      ${String(quote.sellMinor)}, ${String(quote.buyMinor)}, ${quote.createdAt},
      ${quote.expiresAt})`;
}

/** One of the user's quotes; another user's is not read. */
export async function findQuote(
  sql: Queryable,
  userId: string,
  quoteId: string,
): Promise<FxQuoteState | undefined> {
  const [row] = await sql<FxQuoteState[]>`
    SELECT ${fxQuoteColumnsSql(sql, sql`q`)} FROM fx_quotes q
    WHERE q.id = ${quoteId} AND q.user_id = ${userId}`;
  return row;
}

/**
 * The conversion of ledger row `t` as a JSON column `fx` (null for a row that is not an FX leg):
 * the quote `q` joined on t.fx_quote_id. `fxDetailOf` turns it back into FxDetail.
 */
export function fxDetailSql(sql: Queryable, t: Fragment, q: Fragment): Fragment {
  return sql`CASE WHEN ${t}.fx_quote_id IS NULL THEN NULL ELSE json_build_object(
    'leg', ${t}.fx_leg, 'quoteId', ${q}.id, 'rate', ${q}.rate,
    'sourceAmount', ${q}.sell_amount::text, 'sourceCurrency', ${q}.from_currency,
    'destinationAmount', ${q}.buy_amount::text, 'destinationCurrency', ${q}.to_currency,
    'fromAccountId', ${q}.from_account_id, 'toAccountId', ${q}.to_account_id) END AS fx`;
}

/** A row read with fxDetailSql, with its `fx` as the domain's FxDetail (or none). */
export function withFxDetail<T extends { fx?: unknown }>(
  row: T,
): Omit<T, "fx"> & { fx?: FxDetail } {
  const { fx, ...rest } = row;
  if (fx === null || fx === undefined) return rest;
  const raw = fx as Omit<FxDetail, "sourceAmount" | "destinationAmount"> & {
    sourceAmount: string;
    destinationAmount: string;
  };
  return {
    ...rest,
    fx: {
      ...raw,
      sourceAmount: BigInt(raw.sourceAmount),
      destinationAmount: BigInt(raw.destinationAmount),
    },
  };
}
