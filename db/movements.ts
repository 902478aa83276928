/**
 * Deposits and withdrawals, as commands of the movement pipeline (db/pipeline.ts): decided by
 * their planners in domain/planners/, written by the one writer, committed in groups. What is
 * left below the two entry points serves the kinds not yet moved onto the pipeline.
 */
import type { AccountFacts } from "../domain/movements.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { LedgerEntry, TransactionType, Verdict } from "../domain/ledger.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { MovementResult } from "../domain/pipeline.ts";
import { transactionJson } from "../domain/representations.ts";
import type { Sql, Tx } from "./client.ts";
import { heldAtSql } from "./facts.ts";
import { submit, type SubmitOptions } from "./pipeline.ts";

export type { MovementResult } from "../domain/pipeline.ts";

/** Hooks into a movement's transaction, and how it queues (see SubmitOptions). */
export type MovementOptions = SubmitOptions<MovementResult>;

/** A deposit or withdrawal on one of the user's own accounts. */
export interface SingleAccountCommand {
  userId: string;
  accountId: string;
  /** As the client sent it; parsed in the account's currency. */
  amount: string | number;
  description: string | null;
  /** Real time of the request; the user's sandbox clock is added inside. */
  realNow: Date;
}

/** The fraud rules an outflow is screened by, and the velocity window its facts are read for. */
export interface OutflowRules {
  rules: readonly FraudRule[];
  windowSeconds: number;
}

/** Credits the user's account from outside the bank. */
export function deposit(
  sql: Sql,
  command: SingleAccountCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  return submit<"deposit">(sql, { kind: "deposit", ...command }, undefined, options);
}

/** Debits the user's account to outside the bank, after the fraud rules; never overdraws. */
export function withdraw(
  sql: Sql,
  command: SingleAccountCommand & OutflowRules,
  options: MovementOptions = {},
): Promise<MovementResult> {
  const { rules, windowSeconds, ...rest } = command;
  return submit<"withdraw">(sql, { kind: "withdraw", ...rest }, { rules, windowSeconds }, options);
}

/**
 * Locks accounts FOR UPDATE in id order, the one order every movement uses. `available` is the
 * balance less the active holds still unexpired on the owner's clock, read under the same lock:
 * a new hold locks the account too, so holds and debits can never together exceed the balance.
 */
export async function lockAccounts(
  tx: Tx,
  ids: string[],
  realNow: Date,
): Promise<AccountFacts[]> {
  return await tx<AccountFacts[]>`
    SELECT a.id, a.user_id, a.currency, a.balance, u.clock_offset_seconds,
      a.balance - ${heldSql(tx, realNow)} AS available
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.id = ANY(${ids}::uuid[]) ORDER BY a.id FOR UPDATE OF a`;
}

// Minor units reserved by active, unexpired holds of account `a` (owner `u`) at `realNow`.
function heldSql(tx: Tx, realNow: Date) {
  return heldAtSql(
    tx,
    tx`a.id`,
    tx`${realNow}::timestamptz + u.clock_offset_seconds * interval '1 second'`,
  );
}

/** Locks one of the user's own accounts and reads the user's clock; another's is a 404. */
export async function lockOwnAccount(
  tx: Tx,
  command: { userId: string; accountId: string; realNow: Date },
): Promise<{ account: AccountFacts; now: Date }> {
  const [row] = await tx<(AccountFacts & { now: Date })[]>`
    SELECT a.id, a.user_id, a.currency, a.balance, u.clock_offset_seconds,
           a.balance - ${heldSql(tx, command.realNow)} AS available,
           ${command.realNow}::timestamptz + u.clock_offset_seconds * interval '1 second' AS now
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.id = ${command.accountId} AND a.user_id = ${command.userId}
    FOR UPDATE OF a`;
  if (!row) throw new NotFoundError("Account");
  const { now, ...account } = row;
  return { account, now };
}

/** What one ledger row records. */
export interface LedgerWrite {
  type: TransactionType;
  from: AccountFacts | null;
  to: AccountFacts | null;
  amount: bigint;
  verdict: Verdict;
  description: string | null;
  userId: string;
  now: Date;
}

/** Writes one ledger row, its balances and its events (as recordAll). */
export async function record(tx: Tx, write: LedgerWrite): Promise<LedgerEntry> {
  const [entry] = await recordAll(tx, [write]);
  return entry;
}

/**
 * Writes ledger rows in order, with the balances they leave and the events for each party, in one
 * statement. Each write carries its accounts as they stood when it was decided (after the writes
 * before it), so every balance after is exact; the accounts' CHECKs guard them again. Ids are made
 * here so the event payloads can be built beforehand.
 */
export async function recordAll(tx: Tx, writes: readonly LedgerWrite[]): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  const rows = ledgerColumns();
  const balances = new Map<string, { balance: bigint; at: Date }>();
  const events = {
    userId: [] as string[],
    type: [] as string[],
    data: [] as string[],
    at: [] as string[],
  };
  for (const write of writes) {
    const { from, to, amount, verdict } = write;
    const approved = verdict.approved;
    const fromAfter = approved && from ? from.balance - amount : null;
    const toAfter = approved && to ? to.balance + amount : null;
    const entry: LedgerEntry = {
      id: crypto.randomUUID(),
      type: write.type,
      fromAccountId: from?.id ?? null,
      toAccountId: to?.id ?? null,
      amount,
      currency: (from ?? to)!.currency,
      status: approved ? "approved" : "rejected",
      reason: approved ? null : verdict.reason,
      description: write.description,
      createdAt: write.now,
    };
    entries.push(entry);
    rows.id.push(entry.id);
    rows.type.push(entry.type);
    rows.fromAccountId.push(entry.fromAccountId);
    rows.toAccountId.push(entry.toAccountId);
    rows.amount.push(String(amount));
    rows.currency.push(entry.currency);
    rows.status.push(entry.status);
    rows.reason.push(entry.reason);
    rows.description.push(entry.description);
    rows.fromAfter.push(fromAfter === null ? null : String(fromAfter));
    rows.toAfter.push(toAfter === null ? null : String(toAfter));
    rows.initiatedBy.push(write.userId);
    rows.createdAt.push(write.now.toISOString());
    if (fromAfter !== null) balances.set(from!.id, { balance: fromAfter, at: write.now });
    if (toAfter !== null) balances.set(to!.id, { balance: toAfter, at: write.now });
    const data = JSON.stringify({ object: transactionJson(entry) });
    for (const party of partiesOf(write.userId, approved ? to?.userId : undefined)) {
      events.userId.push(party);
      events.type.push(approved ? "transaction.approved" : "transaction.rejected");
      events.data.push(data);
      events.at.push(write.now.toISOString());
    }
  }
  const accounts = [...balances];
  await tx`
    WITH entries AS (
      INSERT INTO transactions (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at)
      SELECT id, type, from_account_id, to_account_id, amount, currency, status, reason,
        description, from_balance_after, to_balance_after, initiated_by, created_at
      FROM unnest(
        ${rows.id}::uuid[], ${rows.type}::text[], ${rows.fromAccountId}::uuid[],
        ${rows.toAccountId}::uuid[], ${rows.amount}::bigint[], ${rows.currency}::text[],
        ${rows.status}::text[], ${rows.reason}::text[], ${rows.description}::text[],
        ${rows.fromAfter}::bigint[], ${rows.toAfter}::bigint[], ${rows.initiatedBy}::uuid[],
        ${rows.createdAt}::timestamptz[]
      ) WITH ORDINALITY AS w (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at, position)
      ORDER BY position
    ), balances AS (
      UPDATE accounts a SET balance = b.balance, updated_at = b.updated_at
      FROM unnest(
        ${accounts.map(([id]) => id)}::uuid[],
        ${accounts.map(([, after]) => String(after.balance))}::bigint[],
        ${accounts.map(([, after]) => after.at.toISOString())}::timestamptz[]
      ) AS b (id, balance, updated_at)
      -- By the primary key, whatever the planner guesses of b: a scan of accounts would
      -- predicate-lock the whole table and fail concurrent movements with 40001.
      WHERE a.id = ANY(${accounts.map(([id]) => id)}::uuid[]) AND a.id = b.id
    )
    INSERT INTO events (user_id, type, data, created_at)
    SELECT user_id, type, data, created_at
    FROM unnest(
      ${events.userId}::uuid[], ${events.type}::text[], ${events.data}::text[]::jsonb[],
      ${events.at}::timestamptz[]
    ) WITH ORDINALITY AS e (user_id, type, data, created_at, position)
    ORDER BY position`;
  return entries;
}

// The ledger rows' columns as arrays, one element per row, text in the database's input form.
function ledgerColumns() {
  const column = () => [] as (string | null)[];
  return {
    id: column(),
    type: column(),
    fromAccountId: column(),
    toAccountId: column(),
    amount: column(),
    currency: column(),
    status: column(),
    reason: column(),
    description: column(),
    fromAfter: column(),
    toAfter: column(),
    initiatedBy: column(),
    createdAt: column(),
  };
}

// The users told of a movement: the initiator, and the receiving user when that is someone else.
function partiesOf(userId: string, receiverId: string | undefined): string[] {
  return receiverId && receiverId !== userId ? [userId, receiverId] : [userId];
}
