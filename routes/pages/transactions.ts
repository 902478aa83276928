/** The ledger: filters, "load more" pages, and the CSV export of what the filter shows. */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { type LedgerFilter, type LedgerRow, listLedger } from "../../db/ledger.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from "../../domain/ledger.ts";
import type { AccountView } from "../../domain/representations.ts";
import { ledgerCsv } from "../../views/csv.ts";
import {
  type LedgerFilterValues,
  ledgerMoreRows,
  type LedgerPage,
  ledgerResults,
  transactionsPage,
} from "../../views/transactions.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { amountBounds } from "../transactions/filters.ts";
import { pageAmount } from "./forms.ts";
import { chromeOf, perspectiveOf } from "./chrome.ts";
import type { PageEnv } from "./page_env.ts";
import { isHtmx, requireSession } from "./session.ts";

/** Entries per page of the transactions list. */
export const LEDGER_PAGE_ENTRIES = 25;

/** Entries per database read while exporting. */
export const CSV_READ_ENTRIES = 500;

/** The most entries one export holds; a wider filter is cut to the newest this many. */
export const CSV_ENTRIES_MAX = 10_000;

const DAY_MS = 86_400_000;
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(
  (day) =>
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day,
);

const FilterQuery = z.object({
  account_id: z.preprocess(emptyAsUndefined, z.uuid().optional()),
  type: z.preprocess(emptyAsUndefined, z.enum(TRANSACTION_TYPES).optional()),
  status: z.preprocess(emptyAsUndefined, z.enum(TRANSACTION_STATUSES).optional()),
  from: z.preprocess(emptyAsUndefined, isoDay.optional()),
  to: z.preprocess(emptyAsUndefined, isoDay.optional()),
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(100).optional()),
  amount_min: z.preprocess(emptyAsUndefined, z.string().max(40).optional()),
  amount_max: z.preprocess(emptyAsUndefined, z.string().max(40).optional()),
  cursor: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
});

const FIELD_MESSAGES: Record<string, string> = {
  account_id: "Choose one of your accounts.",
  type: "Choose a transaction type from the list.",
  status: "Choose a status from the list.",
  from: "Enter the from date as a real date (YYYY-MM-DD).",
  to: "Enter the to date as a real date (YYYY-MM-DD).",
  q: "Search for at most 100 characters.",
  amount_min: "Enter the smallest amount as a number such as 100.00.",
  amount_max: "Enter the largest amount as a number such as 500.00.",
  cursor: "That page link is not valid; start again from the first page.",
};

/** A filter read from the query: what the database is asked, and the form's values. */
interface ReadFilter {
  filter: Omit<LedgerFilter, "limit" | "beforeSeq">;
  beforeSeq?: bigint;
  values: LedgerFilterValues;
  errors: Record<string, string>;
  /** The normalised query string, without a cursor. */
  query: string;
  accounts: AccountView[];
}

/** /app/transactions, /app/transactions/more and /app/transactions.csv. */
export function transactionPages() {
  return new Hono<PageEnv>()
    .get("/transactions", requireSession, async (c) => {
      const read = await readFilter(c);
      const page = await ledgerPage(c, read);
      if (isHtmx(c) && !c.req.header("hx-history-restore-request")) {
        return c.html(
          ledgerResults(page, read.errors),
          Object.keys(read.errors).length ? 400 : 200,
        );
      }
      return c.html(
        transactionsPage({
          chrome: chromeOf(c, "Transactions", "transactions"),
          accounts: read.accounts,
          types: TRANSACTION_TYPES,
          statuses: TRANSACTION_STATUSES,
          values: read.values,
          errors: read.errors,
          page,
        }),
        Object.keys(read.errors).length ? 400 : 200,
      );
    })
    .get("/transactions/more", requireSession, async (c) => {
      const read = await readFilter(c);
      if (Object.keys(read.errors).length || read.beforeSeq === undefined) {
        throw new NotFoundError("Page");
      }
      return c.html(ledgerMoreRows(await ledgerPage(c, read)));
    })
    .get("/transactions.csv", requireSession, async (c) => {
      const read = await readFilter(c);
      if (Object.keys(read.errors).length) throw new NotFoundError("Export");
      const rows: LedgerRow[] = [];
      let beforeSeq: bigint | undefined;
      while (rows.length < CSV_ENTRIES_MAX) {
        const limit = Math.min(CSV_READ_ENTRIES, CSV_ENTRIES_MAX - rows.length);
        const batch = await listLedger(c.var.deps.sql, { ...read.filter, beforeSeq, limit });
        rows.push(...batch);
        if (batch.length < limit) break;
        beforeSeq = batch[batch.length - 1].seq;
      }
      const mine = read.filter.accountIds;
      const perspective = await perspectiveOf(c.var.deps.sql, read.accounts, rows, mine);
      const day = c.var.deps.clock().toISOString().slice(0, 10);
      return c.body(ledgerCsv(rows, perspective), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="transactions-${day}.csv"`,
      });
    });
}

const FILTER_KEYS = [
  "account_id",
  "type",
  "status",
  "q",
  "amount_min",
  "amount_max",
  "from",
  "to",
] as const;

/**
 * The amount range as the API reads it (routes/transactions/filters.ts), from what was typed:
 * digit groups allowed; a mistake becomes the field's message beside it.
 */
function pageAmountBounds(
  query: { amount_min?: string; amount_max?: string },
  accounts: AccountView[],
  accountIds: string[],
  errors: Record<string, string>,
): { amountMin?: bigint; amountMax?: bigint } {
  const currencies = accounts.filter((account) => accountIds.includes(account.id))
    .map((account) => account.currency);
  const typed = {
    amount_min: query.amount_min === undefined ? undefined : pageAmount(query.amount_min),
    amount_max: query.amount_max === undefined ? undefined : pageAmount(query.amount_max),
  };
  try {
    return amountBounds(typed, currencies);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    errors[error.field] = error.problem.startsWith("needs account_id")
      ? "Choose one account to search by amount: yours hold more than one currency."
      : error.field === "amount_min" && typed.amount_max !== undefined &&
          error.problem.startsWith("must not be more")
      ? "The smallest amount is more than the largest."
      : FIELD_MESSAGES[error.field];
    return {};
  }
}

async function readFilter(c: Context<PageEnv>): Promise<ReadFilter> {
  const { deps, userId } = c.var;
  const accounts = await listAccounts(deps.sql, userId, deps.clock());
  const raw = c.req.query();
  const values: LedgerFilterValues = {
    account_id: raw.account_id,
    type: raw.type,
    status: raw.status,
    from: raw.from,
    to: raw.to,
    q: raw.q,
    amount_min: raw.amount_min,
    amount_max: raw.amount_max,
  };
  const parsed = FilterQuery.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      errors[field] = FIELD_MESSAGES[field] ?? "Check this filter.";
    }
    return { filter: { accountIds: [] }, values, errors, query: "", accounts };
  }
  const query = parsed.data;
  if (query.from && query.to && query.from > query.to) {
    errors.to = "The to date is before the from date.";
  }
  let accountIds = accounts.map((account) => account.id);
  if (query.account_id) {
    // Another user's account is not in the list: the same 404 as the API's filter gives.
    if (!accountIds.includes(query.account_id)) throw new NotFoundError("Account");
    accountIds = [query.account_id];
  }
  const amounts = pageAmountBounds(query, accounts, accountIds, errors);
  let beforeSeq: bigint | undefined;
  try {
    beforeSeq = query.cursor ? decodeCursor(query.cursor) : undefined;
  } catch {
    errors.cursor = FIELD_MESSAGES.cursor;
  }
  const normalised = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (query[key]) normalised.set(key, query[key]);
  }
  return {
    filter: {
      accountIds: Object.keys(errors).length ? [] : accountIds,
      type: query.type,
      status: query.status,
      text: query.q || undefined,
      ...amounts,
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
      // The to date is inclusive: entries before the start of the next day.
      to: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : undefined,
    },
    beforeSeq,
    values,
    errors,
    query: normalised.toString(),
    accounts,
  };
}

async function ledgerPage(c: Context<PageEnv>, read: ReadFilter): Promise<LedgerPage> {
  const rows = await listLedger(c.var.deps.sql, {
    ...read.filter,
    beforeSeq: read.beforeSeq,
    limit: LEDGER_PAGE_ENTRIES + 1,
  });
  const entries = rows.slice(0, LEDGER_PAGE_ENTRIES);
  const nextCursor = rows.length > LEDGER_PAGE_ENTRIES
    ? encodeCursor(entries[entries.length - 1].seq)
    : null;
  const perspective = await perspectiveOf(
    c.var.deps.sql,
    read.accounts,
    entries,
    read.filter.accountIds,
  );
  return { entries, perspective, nextCursor, query: read.query };
}
