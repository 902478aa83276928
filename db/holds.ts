/**
 * Holds: money reserved on an account until captured, voided or expired. Placing one locks the
 * account like any debit, so holds and debits are decided one at a time against the available
 * balance. Capture, void and expiry lock the hold first, then (for capture) its account.
 */
import { ConflictError, NotFoundError, RefusedError } from "../domain/errors.ts";
import {
  decideCapture,
  holdJson,
  type HoldStatus,
  type HoldView,
} from "../domain/holds.ts";
import { APPROVED, type LedgerEntry, type Verdict } from "../domain/ledger.ts";
import { currencyOf, parseAmount } from "../domain/money.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { HoldPlaceResult } from "../domain/pipeline.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { type EventType, recordEvents } from "./events.ts";
import { lockAccounts, record } from "./movements.ts";
import { submit } from "./pipeline.ts";
import { budgetUntil, serializable } from "./serializable.ts";

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
  windowSeconds: number;
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
  const { rules, windowSeconds, ...rest } = command;
  return submit<"hold_place">(
    sql,
    { kind: "hold_place", ...rest },
    { rules, windowSeconds },
    options,
  );
}

/** A capture's outcome: the hold_capture ledger entry and the captured hold. */
export interface CaptureResult {
  entry: LedgerEntry;
  verdict: Verdict;
  hold: HoldRow;
}

/**
 * Captures `amount` (default all) of an active hold as a hold_capture transaction and releases the
 * rest. A hold past its expiry is expired here instead, and the capture answers 409.
 */
export async function captureHold(
  sql: Sql,
  command: { userId: string; holdId: string; amount?: string | number; realNow: Date },
  options: HoldOptions<CaptureResult> = {},
): Promise<CaptureResult> {
  const outcome = await serializable(sql, async (tx) => {
    const { hold, now } = await lockActiveHold(tx, command, "capture");
    if (hold.expiresAt <= now) return { expired: await expireHold(tx, hold) };
    const amount = command.amount === undefined
      ? hold.amount
      : parseAmount(command.amount, currencyOf(hold.currency));
    refuseUnlessApproved(decideCapture(hold.amount, amount, hold.currency));
    const [account] = await lockAccounts(tx, [hold.accountId], command.realNow);
    const entry = await record(tx, {
      type: "hold_capture",
      from: account,
      to: null,
      amount,
      verdict: APPROVED,
      description: hold.description,
      userId: hold.userId,
      now,
    });
    const [captured] = await tx<HoldRow[]>`
      UPDATE holds SET status = 'captured', captured_amount = ${amount},
        capture_transaction_id = ${entry.id}, closed_at = ${now}
      WHERE id = ${hold.id} RETURNING *`;
    await holdEvent(tx, "hold.captured", captured, now);
    const result = { entry, verdict: APPROVED, hold: captured };
    await options.onRecorded?.(tx, result);
    return result;
  }, budgetUntil(options.commitBy));
  if ("expired" in outcome) throw notActive("capture", "expired");
  return outcome;
}

/** Releases an active hold without taking any money. */
export async function voidHold(
  sql: Sql,
  command: { userId: string; holdId: string; realNow: Date },
  options: HoldOptions<{ hold: HoldRow }> = {},
): Promise<{ hold: HoldRow }> {
  const outcome = await serializable(sql, async (tx) => {
    const { hold, now } = await lockActiveHold(tx, command, "void");
    if (hold.expiresAt <= now) return { expired: await expireHold(tx, hold) };
    const [voided] = await tx<HoldRow[]>`
      UPDATE holds SET status = 'voided', closed_at = ${now} WHERE id = ${hold.id} RETURNING *`;
    await holdEvent(tx, "hold.voided", voided, now);
    const result = { hold: voided };
    await options.onRecorded?.(tx, result);
    return result;
  }, budgetUntil(options.commitBy));
  if ("expired" in outcome) throw notActive("void", "expired");
  return outcome;
}

/** Expires a locked active hold at its expiry time (the clearing worker and capture/void call it). */
export async function expireHold(tx: Tx, hold: HoldRow): Promise<HoldRow> {
  const [expired] = await tx<HoldRow[]>`
    UPDATE holds SET status = 'expired', closed_at = expires_at
    WHERE id = ${hold.id} AND status = 'active' RETURNING *`;
  if (!expired) throw new Error(`Hold ${hold.id} was not active when expired`);
  await holdEvent(tx, "hold.expired", expired, expired.expiresAt);
  return expired;
}

async function lockActiveHold(
  tx: Tx,
  command: { userId: string; holdId: string; realNow: Date },
  verb: string,
): Promise<{ hold: HoldRow; now: Date }> {
  const [locked] = await tx<(HoldRow & { now: Date })[]>`
    SELECT h.*,
      ${command.realNow}::timestamptz + u.clock_offset_seconds * interval '1 second' AS now
    FROM holds h JOIN users u ON u.id = h.user_id
    WHERE h.id = ${command.holdId} AND h.user_id = ${command.userId}
    FOR UPDATE OF h`;
  if (!locked) throw new NotFoundError("Hold");
  if (locked.status !== "active") throw notActive(verb, locked.status);
  const { now, ...hold } = locked;
  return { hold, now };
}

function notActive(verb: string, status: string): ConflictError {
  return new ConflictError("hold_not_active", `Cannot ${verb} the hold: it is ${status}`);
}

function refuseUnlessApproved(verdict: Verdict): void {
  if (!verdict.approved) {
    throw new RefusedError(verdict.code, verdict.detail, undefined, verdict.reason);
  }
}

async function holdEvent(tx: Tx, type: EventType, hold: HoldRow, at: Date) {
  await recordEvents(tx, [{ userId: hold.userId, type, object: holdJson(hold), createdAt: at }]);
}

/** Filters for listing a user's holds; `beforeSeq` is the decoded cursor. */
export interface HoldFilter {
  userId: string;
  accountId?: string;
  status?: HoldStatus;
  beforeSeq?: bigint;
  limit: number;
}

/** The user's holds, newest first. */
export async function listHolds(sql: Queryable, filter: HoldFilter): Promise<HoldRow[]> {
  return await sql<HoldRow[]>`
    SELECT * FROM holds
    WHERE user_id = ${filter.userId}
      ${filter.accountId ? sql`AND account_id = ${filter.accountId}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${filter.beforeSeq !== undefined ? sql`AND seq < ${filter.beforeSeq}` : sql``}
    ORDER BY seq DESC LIMIT ${filter.limit}`;
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
