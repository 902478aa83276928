/**
 * Batches: up to BATCH_ITEMS_MAX transfers or payments decided as one group of the movement
 * pipeline, in order (item 2 may spend what item 1 brought in), and the atomic rule: if any item
 * of an atomic batch is refused, none moves money. Pure: the database reads the facts and writes
 * whatever this decides.
 */
import { InvalidInputError, NotFoundError } from "./errors.ts";
import { refuse, type Verdict } from "./ledger.ts";
import {
  type BatchRecord,
  type Command,
  type Decision,
  type FinalBalances,
  type GroupContext,
  type GroupFacts,
  planGroup,
  type PlannedEvent,
  type PlannerTable,
} from "./pipeline.ts";

/** The fewest and the most items one batch carries. */
export const BATCH_ITEMS_MIN = 1;
export const BATCH_ITEMS_MAX = 1000;

/** The kinds of command a batch may hold. */
export type BatchCommand = Extract<Command, { kind: "transfer" | "payment_out" }>;

/** The reason an item of a refused atomic batch that would have posted is recorded with. */
export const BATCH_REJECTED: Verdict = refuse(
  "batch_rejected",
  "Not posted: another item of this atomic batch was refused, so no item posts",
);

/** What deciding a batch gave: every item's decision, the balances they leave, the batch's fate. */
export type BatchDecision =
  | { kind: "decided"; decisions: Decision[]; balances: FinalBalances; rejected: boolean }
  /** An item was malformed (its amount, say): the whole batch is a 400 naming the item. */
  | { kind: "invalid"; error: InvalidInputError };

/**
 * Decides a batch's items in order as one group. A malformed item makes the batch invalid. Atomic
 * and any item refused (or not found): every item is planned again as a refusal, those refused
 * keeping their own verdict, the rest recorded as `batch_rejected`; nothing moves. Not atomic:
 * each item stands as it was decided. Every item's plan carries the batch's id (`batchId`).
 */
export function planBatch(
  commands: readonly BatchCommand[],
  facts: GroupFacts,
  planners: PlannerTable,
  context: GroupContext & { atomic: boolean; batchId: string },
): BatchDecision {
  const first = planGroup(commands, facts, planners, context);
  const invalid = itemInvalid(first.decisions);
  if (invalid) return { kind: "invalid", error: invalid };
  const refused = first.decisions.map(refusalOf);
  if (!context.atomic || refused.every((verdict) => verdict === undefined)) {
    return {
      kind: "decided",
      ...first,
      decisions: inBatch(first.decisions, context),
      rejected: false,
    };
  }
  const again = planGroup(commands, facts, planners, {
    ...context,
    refusalOf: (index) => refused[index] ?? BATCH_REJECTED,
  });
  assertNothingMoves(again.decisions, again.balances);
  return {
    kind: "decided",
    ...again,
    decisions: inBatch(again.decisions, context),
    rejected: true,
  };
}

// The items' plans, each marked as the batch's.
function inBatch(decisions: readonly Decision[], batch: { batchId: string }): Decision[] {
  return decisions.map((decision) =>
    "plan" in decision ? { plan: { ...decision.plan, batchId: batch.batchId } } : decision
  );
}

/**
 * A decision's refusal: its verdict when refused, BATCH_REJECTED standing in for an item that
 * could not be found (it has no row of its own to record); undefined when it would post.
 */
function refusalOf(decision: Decision): Verdict | undefined {
  if ("error" in decision) return BATCH_REJECTED;
  return decision.plan.verdict.approved ? undefined : decision.plan.verdict;
}

// The first malformed item, named by its index (`items.3.amount`).
function itemInvalid(decisions: readonly Decision[]): InvalidInputError | undefined {
  for (const [index, decision] of decisions.entries()) {
    if (!("error" in decision)) continue;
    const { error } = decision;
    if (error instanceof InvalidInputError) {
      return new InvalidInputError(`items.${index}.${error.field}`, error.problem);
    }
    // A batch item fails on its own only by naming what is not there (or not yours).
    if (!(error instanceof NotFoundError)) throw error;
  }
  return undefined;
}

// The atomic rule's guarantee, checked: a planner that ignored its refusal is a programmer error.
function assertNothingMoves(decisions: readonly Decision[], balances: FinalBalances): void {
  const moved = decisions.some((decision) =>
    "plan" in decision &&
    (decision.plan.verdict.approved ||
      decision.plan.ledger.some((entry) => entry.status === "approved"))
  );
  if (moved || balances.size > 0) {
    throw new Error("A refused atomic batch planned a movement: a planner ignored its refusal");
  }
}

/** A batch as its batch.completed event tells it (an addition to the contract's event types). */
export interface BatchSummary {
  id: string;
  atomic: boolean;
  /** posted: the items stood as decided; rejected: an atomic batch refused whole, nothing moved. */
  status: "posted" | "rejected";
  items: number;
  approved: number;
  rejected: number;
  failed: number;
}

/** A decided batch's summary: how many items it held and how each ended. */
export function batchSummary(
  batch: { id: string; atomic: boolean },
  decided: Extract<BatchDecision, { kind: "decided" }>,
): BatchSummary {
  const count = (test: (decision: Decision) => boolean) => decided.decisions.filter(test).length;
  return {
    id: batch.id,
    atomic: batch.atomic,
    status: decided.rejected ? "rejected" : "posted",
    items: decided.decisions.length,
    approved: count((d) => "plan" in d && d.plan.verdict.approved),
    rejected: count((d) => "plan" in d && !d.plan.verdict.approved),
    failed: count((d) => "error" in d),
  };
}

/**
 * What a decided batch writes beside its items' own rows: its record (which the audit reconciles
 * with the items' ledger rows) and its one batch.completed event.
 */
export function batchOutcome(
  batch: { id: string; atomic: boolean; kind: BatchRecord["kind"]; userId: string; at: Date },
  decided: Extract<BatchDecision, { kind: "decided" }>,
): { record: BatchRecord; event: PlannedEvent } {
  const summary = batchSummary(batch, decided);
  return {
    record: { ...summary, kind: batch.kind, userId: batch.userId, createdAt: batch.at },
    event: { userId: batch.userId, type: "batch.completed", object: summary, createdAt: batch.at },
  };
}
