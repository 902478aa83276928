/** What every planner builds the same way: a ledger row, and the events that tell of it. */
import { APPROVED, type LedgerEntry, type TransactionType, type Verdict } from "../ledger.ts";
import type { Command, MovementResult, Plan, PlanInput, PlannedEvent } from "../pipeline.ts";
import { transactionJson } from "../representations.ts";

/** A plan that writes nothing but a result (or only what the caller adds). */
export function emptyPlan<R>(result: R): Plan<R> {
  return { verdict: APPROVED, ledger: [], held: [], holds: [], payments: [], events: [], result };
}

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
    /** When it happened, if not the initiator's now (a settlement at its due time). */
    at?: Date;
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
    description: row.description !== undefined
      ? row.description
      : "description" in input.command
      ? input.command.description
      : null,
    createdAt: row.at ?? input.now,
  };
}

/**
 * The plan of a movement that is one ledger row and nothing else (a deposit, a withdrawal, a
 * transfer, a refusal): the row, its events (to the initiator, and to the receiving account's
 * owner when money reached someone else) and the entry as the result.
 */
export function movementPlan(
  input: PlanInput<Command>,
  row: Parameters<typeof ledgerRow>[1] & { receiver?: string },
): Plan<MovementResult> {
  const entry = ledgerRow(input, row);
  return {
    ...emptyPlan({ entry, verdict: row.verdict }),
    verdict: row.verdict,
    ledger: [entry],
    events: transactionEvents(entry, input.command.userId, row.receiver),
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
