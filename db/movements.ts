/**
 * Money movements: each is one SERIALIZABLE transaction that locks its accounts FOR UPDATE in id
 * order, asks the domain for a verdict, and writes the ledger row and the balances together.
 * A refusal is written too: the audit trail keeps every attempt.
 */
import type { AccountFacts } from "../domain/movements.ts";
import { decideDeposit, decideWithdrawal } from "../domain/movements.ts";
import { factsNeeded, type FraudFacts, type FraudRule } from "../domain/fraud/mod.ts";
import {
  type LedgerEntry,
  OUTFLOW_TYPES,
  type TransactionType,
  type Verdict,
} from "../domain/ledger.ts";
import { currencyOf, parseAmount } from "../domain/money.ts";
import { NotFoundError, UnauthorizedError } from "../domain/errors.ts";
import { transactionJson } from "../domain/representations.ts";
import type { Fragment, Sql, Tx } from "./client.ts";
import { budgetUntil, serializable } from "./serializable.ts";
import { queuedOnAccounts } from "./account_queue.ts";

/** What a movement returns: its ledger entry and the verdict that entry records. */
export interface MovementResult {
  entry: LedgerEntry;
  verdict: Verdict;
}

/** Hooks into a movement's transaction. */
export interface MovementOptions {
  /**
   * Runs inside the movement's transaction after its ledger row is written and before commit:
   * whatever it writes (an idempotency record, events) commits or rolls back with the money.
   */
  onRecorded?: (tx: Tx, result: MovementResult) => Promise<void>;
  /**
   * Skips the in-process per-account queue: tests use it to show the database alone keeps every
   * movement correct, as it must with several instances.
   */
  unqueued?: boolean;
  /**
   * Epoch ms by which the movement must have sent its COMMIT (the request's own deadline); past it
   * the movement rolls back and answers 503: a client the request timeout told to retry has had
   * nothing posted.
   */
  commitBy?: number;
  /**
   * A transfer shares its transaction with no other (db/transfers.ts): for a request that may
   * fail on purpose (a simulated fault), so that it costs no one else a rerun.
   */
  alone?: boolean;
}

function inQueue<T>(ids: string[], options: MovementOptions, work: () => Promise<T>): Promise<T> {
  return options.unqueued ? work() : queuedOnAccounts(ids, work);
}

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

/** Credits the user's account from outside the bank. */
export async function deposit(
  sql: Sql,
  command: SingleAccountCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  return await inQueue([command.accountId], options, () =>
    serializable(sql, async (tx) => {
      const { account, now } = await lockOwnAccount(tx, command);
      const amount = parseAmount(command.amount, currencyOf(account.currency));
      const verdict = decideDeposit(account, amount);
      const entry = await record(tx, {
        type: "deposit",
        from: null,
        to: account,
        amount,
        verdict,
        description: command.description,
        userId: command.userId,
        now,
      });
      const result = { entry, verdict };
      await options.onRecorded?.(tx, result);
      return result;
    }, budgetUntil(options.commitBy)));
}

/** Debits the user's account to outside the bank; never overdraws. */
export async function withdraw(
  sql: Sql,
  command: SingleAccountCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  return await inQueue([command.accountId], options, () =>
    serializable(sql, async (tx) => {
      const { account, now } = await lockOwnAccount(tx, command);
      const amount = parseAmount(command.amount, currencyOf(account.currency));
      const verdict = decideWithdrawal(account, amount);
      const entry = await record(tx, {
        type: "withdraw",
        from: account,
        to: null,
        amount,
        verdict,
        description: command.description,
        userId: command.userId,
        now,
      });
      const result = { entry, verdict };
      await options.onRecorded?.(tx, result);
      return result;
    }, budgetUntil(options.commitBy)));
}

/**
 * Locks accounts FOR UPDATE in id order, the one order every movement uses. `available` is the
 * balance less the active holds still unexpired on the owner's clock, read under the same lock:
 * a new hold locks the account too, so holds and debits can never together exceed the balance.
 */
export async function lockAccounts(
  tx: Tx,
  ids: string[],
  realNow: Date = new Date(),
): Promise<AccountFacts[]> {
  return await tx<AccountFacts[]>`
    SELECT a.id, a.user_id, a.currency, a.balance,
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

/** Minor units reserved by the account's active holds still unexpired at `ownerNow` (its owner's clock). */
export function heldAtSql(tx: Tx, accountId: Fragment, ownerNow: Fragment): Fragment {
  return tx`coalesce((
    SELECT sum(h.amount) FROM holds h
    WHERE h.account_id = ${accountId} AND h.status = 'active' AND h.expires_at > ${ownerNow}
  ), 0)::bigint`;
}

/** Locks one of the user's own accounts and reads the user's clock; another's is a 404. */
export async function lockOwnAccount(
  tx: Tx,
  command: { userId: string; accountId: string; realNow: Date },
): Promise<{ account: AccountFacts; now: Date }> {
  const [row] = await tx<(AccountFacts & { now: Date })[]>`
    SELECT a.id, a.user_id, a.currency, a.balance,
           a.balance - ${heldSql(tx, command.realNow)} AS available,
           ${command.realNow}::timestamptz + u.clock_offset_seconds * interval '1 second' AS now
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.id = ${command.accountId} AND a.user_id = ${command.userId}
    FOR UPDATE OF a`;
  if (!row) throw new NotFoundError("Account");
  const { now, ...account } = row;
  return { account, now };
}

/** What an outflow needs to know: who is moving money, from where, and under which rules. */
export interface OutflowContext {
  userId: string;
  fromAccountId: string;
  realNow: Date;
  windowSeconds: number;
  rules: readonly FraudRule[];
}

/** Reads the user's clock and the fraud facts alone, for callers that lock separately. */
export async function readOutflowFacts(
  tx: Tx,
  context: OutflowContext,
): Promise<{ now: Date; fraud: FraudFacts }> {
  const [row] = await tx<{ now: Date; recentCount: bigint; outflow24h: bigint }[]>`
    ${
    outflowFactsSql(tx, context, {
      userId: tx`${context.userId}::uuid`,
      fromAccountId: tx`${context.fromAccountId}::uuid`,
      realNow: tx`${context.realNow}::timestamptz`,
    })
  }`;
  if (!row) throw new UnauthorizedError("The bearer token names no user of this bank");
  return {
    now: row.now,
    fraud: { recentOutflowCount: Number(row.recentCount), outflowLast24hMinor: row.outflow24h },
  };
}

/** Who moves money out of which account, as SQL: parameters, or columns of a batch's rows. */
export interface OutflowSource {
  userId: Fragment;
  fromAccountId: Fragment;
  realNow: Fragment;
}

/**
 * The user's clock and only the facts the rules read, as one row (none if the user is gone).
 * Every ledger row read here becomes a predicate lock, so the velocity count stops at the limit
 * it is compared with: however busy the account, it reads at most that many rows (many more would
 * escalate to a lock on the whole ledger and set concurrent transfers failing each other with
 * 40001).
 */
export function outflowFactsSql(
  tx: Tx,
  context: { rules: readonly FraudRule[]; windowSeconds: number },
  source: OutflowSource,
): Fragment {
  const needs = factsNeeded(context.rules);
  const outflows = tx`
    FROM transactions t
    WHERE t.from_account_id = ${source.fromAccountId} AND t.status = 'approved'
      AND t.type = ANY(${OUTFLOW_TYPES as string[]}::text[])`;
  const recent = needs.recentOutflowCount
    ? tx`(SELECT count(*) FROM (
          SELECT 1 ${outflows}
            AND t.created_at > clock.now - ${context.windowSeconds} * interval '1 second'
          LIMIT ${needs.recentOutflowCount.atLeast}) AS window_rows)`
    : tx`0::bigint`;
  const daily = needs.outflowLast24hMinor
    ? tx`(SELECT coalesce(sum(t.amount), 0)::bigint ${outflows}
          AND t.created_at > clock.now - interval '24 hours')`
    : tx`0::bigint`;
  return tx`
    SELECT clock.now, ${recent} AS recent_count, ${daily} AS outflow_24h
    FROM (
      SELECT ${source.realNow} + clock_offset_seconds * interval '1 second' AS now
      FROM users WHERE id = ${source.userId}
    ) AS clock`;
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
