/** What every planner builds the same way: a ledger row, and the events that tell of it. */
import type { LedgerEntry, TransactionType, Verdict } from "../ledger.ts";
import type { Command, PlanInput, PlannedEvent } from "../pipeline.ts";
import { transactionJson } from "../representations.ts";

/** A ledger row dated by the initiator's clock: approved, or rejected with the verdict's reason. */
export function ledgerRow(
  input: PlanInput<Command>,
  row: {
    type: TransactionType;
    fromAccountId: string | null;
    toAccountId: string | null;
    amount: bigint;
    currency: string;
    verdict: Verdict;
    description?: string | null;
  },
): LedgerEntry {
  const { verdict } = row;
  return {
    id: input.newId(),
    type: row.type,
    fromAccountId: row.fromAccountId,
    toAccountId: row.toAccountId,
    amount: row.amount,
    currency: row.currency,
    status: verdict.approved ? "approved" : "rejected",
    reason: verdict.approved ? null : verdict.reason,
    description: row.description === undefined ? input.command.description : row.description,
    createdAt: input.now,
  };
}

/**
 * The transaction.approved / .rejected events of a ledger row: to the initiator, and to the owner
 * of the receiving account when that is someone else and money reached them.
 */
export function transactionEvents(
  entry: LedgerEntry,
  initiator: string,
  receiver?: string,
): PlannedEvent[] {
  const approved = entry.status === "approved";
  const type = approved ? "transaction.approved" : "transaction.rejected";
  const object = transactionJson(entry);
  const parties = approved && receiver && receiver !== initiator
    ? [initiator, receiver]
    : [initiator];
  return parties.map((userId) => ({ userId, type, object, createdAt: entry.createdAt }));
}
