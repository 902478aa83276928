/** Statements: running balances over ledger entries, and their CSV form. */
import { currencyOf, formatAmount } from "./money.ts";
import type { Counterparty } from "./payments.ts";

/** The longest period one statement covers, in days. */
export const STATEMENT_PERIOD_DAYS_MAX = 366;

/** An entry of a statement; amounts in minor units, signed (credits positive). */
export interface StatementLine {
  transactionId: string;
  createdAt: Date;
  type: string;
  description: string | null;
  amount: bigint;
  /** The other account of a transfer, by number. */
  otherAccountNumber: string | null;
  /** The other bank's customer of a payment. */
  paymentCounterparty: Counterparty | null;
}

/**
 * Who was on the other side of an entry, as one line: a payment's counterparty ("Acme Supplies,
 * 250655 62001234567"), a transfer's other account number; null for cash and captures.
 */
export function counterpartyText(line: StatementLine): string | null {
  const party = line.paymentCounterparty;
  if (party) return `${party.name}, ${party.bank_code} ${party.account_number}`;
  return line.otherAccountNumber;
}

/** A statement as JSON: totals and the balance after each entry, all from the ledger. */
export function statementJson(statement: {
  accountId: string;
  currency: string;
  from: string;
  to: string;
  timeZone: string;
  opening: bigint;
  entries: StatementLine[];
}) {
  const currency = currencyOf(statement.currency);
  const money = (minor: bigint) => formatAmount(minor, currency);
  let balance = statement.opening;
  let totalIn = 0n;
  let totalOut = 0n;
  const entries = statement.entries.map((entry) => {
    balance += entry.amount;
    if (entry.amount > 0n) totalIn += entry.amount;
    else totalOut -= entry.amount;
    return {
      transaction_id: entry.transactionId,
      created_at: entry.createdAt.toISOString(),
      type: entry.type,
      description: entry.description,
      counterparty: counterpartyText(entry),
      amount: signed(entry.amount, money),
      balance_after: money(balance),
    };
  });
  return {
    account_id: statement.accountId,
    currency: statement.currency,
    from: statement.from,
    to: statement.to,
    time_zone: statement.timeZone,
    opening_balance: money(statement.opening),
    closing_balance: money(balance),
    total_in: money(totalIn),
    total_out: money(totalOut),
    entries,
  };
}

function signed(minor: bigint, money: (minor: bigint) => string): string {
  return minor < 0n ? `-${money(-minor)}` : money(minor);
}

const CSV_COLUMNS = [
  "transaction_id",
  "created_at",
  "type",
  "description",
  "counterparty",
  "amount",
  "balance_after",
] as const;

/** The statement's entries as RFC 4180 CSV with a header row (CRLF line ends). */
export function statementCsv(entries: ReturnType<typeof statementJson>["entries"]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const entry of entries) {
    lines.push(CSV_COLUMNS.map((column) => csvField(entry[column])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

// Quotes where RFC 4180 needs it; free text that a spreadsheet would run as a formula is
// prefixed with an apostrophe (OWASP CSV injection advice). Amounts are never free text.
function csvField(value: string | null): string {
  if (value === null) return "";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
