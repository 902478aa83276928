/**
 * Money movements: each is one SERIALIZABLE transaction that locks its accounts FOR UPDATE in id
 * order, asks the domain for a verdict, and writes the ledger row and the balances together.
 * A refusal is written too: the audit trail keeps every attempt.
 */
import type { AccountFacts } from "../domain/movements.ts";
import { decideDeposit, decideTransfer, decideWithdrawal } from "../domain/movements.ts";
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
import type { Sql, Tx } from "./client.ts";
import { serializable } from "./serializable.ts";
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

/** A transfer out of one of the user's accounts to any account. */
export interface TransferCommand {
  userId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: string | number;
  description: string | null;
  realNow: Date;
  rules: readonly FraudRule[];
  /** The velocity rule's window; the facts are read for it. */
  windowSeconds: number;
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
    }));
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
    }));
}

/** Moves money from the user's account to any account, after the fraud rules. */
export async function transfer(
  sql: Sql,
  command: TransferCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  const ids = [command.fromAccountId, command.toAccountId];
  return await inQueue(ids, options, () =>
    serializable(sql, async (tx) => {
      const { accounts: locked, now, fraud } = await lockForOutflow(tx, ids, command);
      const from = locked.find((row) => row.id === command.fromAccountId);
      const to = locked.find((row) => row.id === command.toAccountId);
      if (!from || from.userId !== command.userId) throw new NotFoundError("Source account");
      if (!to) throw new NotFoundError("Destination account");
      const amount = parseAmount(command.amount, currencyOf(from.currency));
      const verdict = decideTransfer({ from, to, amount, now, fraud, rules: command.rules });
      const entry = await record(tx, {
        type: "transfer",
        from,
        to,
        amount,
        verdict,
        description: command.description,
        userId: command.userId,
        now,
      });
      const result = { entry, verdict };
      await options.onRecorded?.(tx, result);
      return result;
    }));
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
  return tx`coalesce((
    SELECT sum(h.amount) FROM holds h
    WHERE h.account_id = a.id AND h.status = 'active'
      AND h.expires_at > ${realNow}::timestamptz + u.clock_offset_seconds * interval '1 second'
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

/**
 * Locks the accounts (as lockAccounts) and, in the same statement, reads the user's clock and the
 * facts the fraud rules need about the source account's outflows: one round trip. It runs in the
 * movement's SERIALIZABLE transaction, so concurrent transfers cannot slip past the window: each
 * approved outflow updates the source row this statement locks.
 */
export async function lockForOutflow(
  tx: Tx,
  ids: string[],
  context: OutflowContext,
): Promise<{ accounts: AccountFacts[]; now: Date; fraud: FraudFacts }> {
  const rows = await tx<(AccountFacts & { now: Date; recentCount: bigint; outflow24h: bigint })[]>`
    WITH facts AS (${outflowFactsSql(tx, context)})
    SELECT a.id, a.user_id, a.currency, a.balance,
      a.balance - ${heldSql(tx, context.realNow)} AS available,
      facts.now, facts.recent_count, facts.outflow_24h
    FROM accounts a JOIN users u ON u.id = a.user_id CROSS JOIN facts
    WHERE a.id = ANY(${ids}::uuid[]) ORDER BY a.id FOR UPDATE OF a`;
  if (rows.length === 0) return { ...await readOutflowFacts(tx, context), accounts: [] };
  const { now, recentCount, outflow24h } = rows[0];
  return {
    accounts: rows.map(({ id, userId, currency, balance, available }) => ({
      id,
      userId,
      currency,
      balance,
      available,
    })),
    now,
    fraud: { recentOutflowCount: Number(recentCount), outflowLast24hMinor: outflow24h },
  };
}

/** Reads the user's clock and the fraud facts alone, for callers that lock separately. */
export async function readOutflowFacts(
  tx: Tx,
  context: OutflowContext,
): Promise<{ now: Date; fraud: FraudFacts }> {
  const [row] = await tx<{ now: Date; recentCount: bigint; outflow24h: bigint }[]>`
    ${outflowFactsSql(tx, context)}`;
  if (!row) throw new UnauthorizedError("The bearer token names no user of this bank");
  return {
    now: row.now,
    fraud: { recentOutflowCount: Number(row.recentCount), outflowLast24hMinor: row.outflow24h },
  };
}

// The user's clock and only the facts the rules read. Every ledger row read here becomes a
// predicate lock, so the velocity count stops at the limit it is compared with: however busy the
// account, it reads at most that many rows (many more would escalate to a lock on the whole
// ledger and set concurrent transfers failing each other with 40001).
function outflowFactsSql(tx: Tx, context: OutflowContext) {
  const needs = factsNeeded(context.rules);
  const outflows = tx`
    FROM transactions t
    WHERE t.from_account_id = ${context.fromAccountId} AND t.status = 'approved'
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
      SELECT ${context.realNow}::timestamptz + clock_offset_seconds * interval '1 second' AS now
      FROM users WHERE id = ${context.userId}
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

/**
 * Writes the ledger row, when approved both balances, and the events for each party, in one
 * statement. The balances after come from the locked rows, so they are exact; the accounts'
 * CHECKs guard them again. Ids are made here so the event payloads can be built beforehand.
 */
export async function record(tx: Tx, write: LedgerWrite): Promise<LedgerEntry> {
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
  const parties = partiesOf(write.userId, approved ? to?.userId : undefined);
  const eventType = approved ? "transaction.approved" : "transaction.rejected";
  await tx`
    WITH entry AS (
      INSERT INTO transactions (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at)
      VALUES (
        ${entry.id}, ${entry.type}, ${entry.fromAccountId}, ${entry.toAccountId}, ${amount},
        ${entry.currency}, ${entry.status}, ${entry.reason}, ${entry.description}, ${fromAfter},
        ${toAfter}, ${write.userId}, ${write.now})
    ), debit AS (
      UPDATE accounts SET balance = ${fromAfter}, updated_at = ${write.now}
      WHERE ${fromAfter !== null} AND id = ${entry.fromAccountId}
    ), credit AS (
      UPDATE accounts SET balance = ${toAfter}, updated_at = ${write.now}
      WHERE ${toAfter !== null} AND id = ${entry.toAccountId}
    )
    INSERT INTO events (user_id, type, data, created_at)
    SELECT party, ${eventType}, ${tx.json({ object: transactionJson(entry) } as never)},
           ${write.now}::timestamptz
    FROM unnest(${parties}::uuid[]) WITH ORDINALITY AS parties (party, position)
    ORDER BY position`;
  return entry;
}

// The users told of a movement: the initiator, and the receiving user when that is someone else.
function partiesOf(userId: string, receiverId: string | undefined): string[] {
  return receiverId && receiverId !== userId ? [userId, receiverId] : [userId];
}
