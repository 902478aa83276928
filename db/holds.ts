/**
 * Holds: money reserved on an account until captured, voided or expired. Placing, capturing and
 * voiding one are commands of the movement pipeline: the hold's row is locked first, then its
 * account, and holds and debits are decided one at a time against the available balance.
 */
import type { HoldStatus, HoldView } from "../domain/holds.ts";
import type { LedgerEntry, Verdict } from "../domain/ledger.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { HoldPlaceResult, HoldState } from "../domain/pipeline.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { seqWindowOrder, seqWindowWhere } from "./seq_window.ts";
import { submit } from "./pipeline.ts";

/** A hold as stored. */
export type HoldRow = HoldView;

/** Hooks into a hold's transaction (an idempotency record commits with it). */
export interface HoldOptions<R> {
  onRecorded?: (tx: Tx, result: R) => Promise<void>;
  /** As MovementOptions.commitBy: the request's deadline for sending COMMIT. */
  commitBy?: number;
  /** As MovementOptions.alone: a group of its own (a simulated fault). */
  alone?: boolean;
}

/** A new hold on one of the user's accounts. */
export interface PlaceHoldCommand {
  userId: string;
  accountId: string;
  amount: string | number;
  description: string | null;
  expiresInSeconds: number;
  realNow: Date;
  rules: readonly FraudRule[];
}

/**
 * Reserves money on the account, after the fraud rules and within the available balance: a
 * command of the movement pipeline (domain/planners/hold_place.ts). A refusal is recorded as a
 * rejected `hold` ledger row and comes back with `hold: null`.
 */
export function placeHold(
  sql: Sql,
  command: PlaceHoldCommand,
  options: HoldOptions<HoldPlaceResult> = {},
): Promise<HoldPlaceResult> {
  const { rules, ...rest } = command;
  return submit<"hold_place">(
    sql,
    { kind: "hold_place", ...rest },
    { rules },
    options,
  );
}

/** A capture's outcome: the hold_capture ledger entry (approved, or refused and recorded) and the hold. */
export interface CaptureResult {
  entry: LedgerEntry;
  verdict: Verdict;
  hold: HoldState;
}

/**
 * Captures `amount` (default all) of an active hold as a hold_capture transaction and releases the
 * rest: a command of the movement pipeline (domain/planners/hold_capture.ts). A hold past its
 * expiry is expired instead (that commits), and the capture answers 409.
 */
export async function captureHold(
  sql: Sql,
  command: { userId: string; holdId: string; amount?: string | number; realNow: Date },
  options: HoldOptions<CaptureResult> = {},
): Promise<CaptureResult> {
  const { onRecorded } = options;
  const result = await submit<"hold_capture">(
    sql,
    { kind: "hold_capture", ...command },
    undefined,
    {
      ...options,
      onRecorded: async (tx, outcome) => {
        if (!outcome.conflict) await onRecorded?.(tx, outcome);
      },
    },
  );
  if (result.conflict) throw result.conflict;
  return result;
}

/** Releases an active hold without taking any money (domain/planners/hold_release.ts). */
export async function voidHold(
  sql: Sql,
  command: { userId: string; holdId: string; realNow: Date },
  options: HoldOptions<{ hold: HoldState }> = {},
): Promise<{ hold: HoldState }> {
  const { onRecorded } = options;
  const result = await submit<"hold_void">(sql, { kind: "hold_void", ...command }, undefined, {
    ...options,
    onRecorded: async (tx, outcome) => {
      if (!outcome.conflict) await onRecorded?.(tx, outcome);
    },
  });
  if (result.conflict) throw result.conflict;
  return result;
}

/** Filters for listing a user's holds; `beforeSeq` is the decoded cursor. */
export interface HoldFilter {
  userId: string;
  accountId?: string;
  status?: HoldStatus;
  beforeSeq?: bigint;
  /** Rows after this position, read oldest first (a page's "Newer" link). */
  afterSeq?: bigint;
  limit: number;
}

/** The user's holds, newest first (oldest first after `afterSeq`). */
export async function listHolds(sql: Queryable, filter: HoldFilter): Promise<HoldRow[]> {
  return await sql<HoldRow[]>`
    SELECT * FROM holds
    WHERE user_id = ${filter.userId}
      ${filter.accountId ? sql`AND account_id = ${filter.accountId}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${seqWindowWhere(sql, sql`seq`, filter)}
    ${seqWindowOrder(sql, sql`seq`, filter)} LIMIT ${filter.limit}`;
}

/** One of the user's holds, or undefined (another user's is the same as none). */
export async function findHold(
  sql: Queryable,
  userId: string,
  holdId: string,
): Promise<HoldRow | undefined> {
  const [row] = await sql<
    HoldRow[]
  >`SELECT * FROM holds WHERE id = ${holdId} AND user_id = ${userId}`;
  return row;
}
