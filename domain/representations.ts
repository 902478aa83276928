/**
 * The bank's objects as the outside world sees them (API bodies and event payloads alike):
 * snake_case, amounts as decimal strings, timestamps RFC 3339 UTC.
 */
import type { AccountStatus } from "./account_status.ts";
import type { LedgerEntry } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";

/** A ledger entry as JSON. */
export function transactionJson(entry: LedgerEntry) {
  return {
    id: entry.id,
    type: entry.type,
    from_account_id: entry.fromAccountId,
    to_account_id: entry.toAccountId,
    amount: formatAmount(entry.amount, currencyOf(entry.currency)),
    currency: entry.currency,
    status: entry.status,
    reason: entry.reason,
    description: entry.description,
    created_at: entry.createdAt.toISOString(),
  };
}

/** An account as stored, in the fields its JSON needs; balances in minor units. */
export interface AccountView {
  id: string;
  userId: string;
  accountNumber: string;
  currency: string;
  balance: bigint;
  available: bigint;
  status: AccountStatus;
  /** Why it is frozen, when the freeze said; null otherwise. */
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An account as JSON. */
export function accountJson(account: AccountView) {
  const currency = currencyOf(account.currency);
  return {
    id: account.id,
    user_id: account.userId,
    account_number: account.accountNumber,
    currency: account.currency,
    balance: formatAmount(account.balance, currency),
    available_balance: formatAmount(account.available, currency),
    status: account.status,
    status_reason: account.statusReason,
    created_at: account.createdAt.toISOString(),
    updated_at: account.updatedAt.toISOString(),
  };
}
