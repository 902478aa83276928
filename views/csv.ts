/** The ledger as CSV (RFC 4180), for the transactions page's export. */
import { currencyOf, formatAmount } from "../domain/money.ts";
import type { LedgerEntry } from "../domain/ledger.ts";
import { directionOf, type LedgerPerspective } from "./ledger.ts";

const HEADER = [
  "transaction_id",
  "created_at",
  "type",
  "status",
  "reason",
  "direction",
  "from_account",
  "to_account",
  "amount",
  "currency",
  "description",
];

/** A CSV document with a header row and one row per entry, lines ending CRLF. */
export function ledgerCsv(entries: LedgerEntry[], view: LedgerPerspective): string {
  const lines = [HEADER.join(",")];
  for (const entry of entries) {
    lines.push(
      [
        entry.id,
        entry.createdAt.toISOString(),
        entry.type,
        entry.status,
        entry.reason ?? "",
        directionOf(entry, view.mine),
        entry.fromAccountId ? view.numbers.get(entry.fromAccountId) ?? "" : "",
        entry.toAccountId ? view.numbers.get(entry.toAccountId) ?? "" : "",
        formatAmount(entry.amount, currencyOf(entry.currency)),
        entry.currency,
        entry.description ?? "",
      ].map(csvCell).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

// A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with an
// apostrophe; a cell with a comma, quote or line break is quoted, its quotes doubled.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
