/**
 * Transfers, committed in groups. Transfers that queue in this process while earlier ones are in
 * the database go to it together: one SERIALIZABLE transaction locks every account they touch FOR
 * UPDATE in id order, reads each one's fraud facts, decides them one by one in the order they
 * arrived (each sees the balances and outflows the ones before it left), writes all their ledger
 * rows and balances in one statement, and commits them at once. A group pays the round trips and
 * the commit of a single transfer; under load those are most of a transfer's cost.
 *
 * What each transfer keeps: its accounts are locked before it is decided; its ledger row and
 * balances are written in the transaction that decided it, and commit or roll back together; a
 * refusal is a ledger row. A transfer that fails on its own (a 404, a bad amount, a hook that
 * throws) leaves its group and the others commit without it. Each process sends one group at a
 * time; other instances' transfers are kept apart by the database's row locks and SERIALIZABLE,
 * as single transfers are.
 */
import postgres from "postgres";
import { NotFoundError, UnauthorizedError, UnavailableError } from "../domain/errors.ts";
import {
  type EarlierOutflow,
  factsNeeded,
  type FraudRule,
  withEarlierOutflows,
} from "../domain/fraud/mod.ts";
import { type AccountFacts, afterTransfer, decideTransfer } from "../domain/movements.ts";
import { currencyOf, parseAmount } from "../domain/money.ts";
import { QUEUE_WAIT_MS_MAX, queuedOnAccounts, settledOrAfter } from "./account_queue.ts";
import type { Sql, Tx } from "./client.ts";
import { isConnectionFailure } from "./connection_failures.ts";
import {
  heldAtSql,
  type LedgerWrite,
  lockAccounts,
  type MovementOptions,
  type MovementResult,
  outflowFactsSql,
  recordAll,
} from "./movements.ts";
import { isRetryable, serializable, TRANSACTION_BUDGET_MS } from "./serializable.ts";

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

/**
 * How long the next group waits for one that has not come back (a driver stuck on a dead
 * connection) before going anyway: the database keeps the two apart, and this process's
 * transfers must not all stall behind one. By then the stuck group can no longer commit: a group
 * starts within QUEUE_WAIT_MS_MAX of its transfers' arrival and never commits past
 * TRANSACTION_BUDGET_MS.
 */
export const GROUP_STUCK_MS = QUEUE_WAIT_MS_MAX + TRANSACTION_BUDGET_MS;

/** The most transfers one group commits. */
export const GROUP_TRANSFERS_MAX = 64;

/** Groups committed and the transfers they held (logged as `stats` on SIGUSR1; the bench reads it). */
export const groupStats = { groupsCommitted: 0, transfersCommittedInGroups: 0 };

/**
 * Moves money from the user's account to any account, after the fraud rules, in a group with the
 * transfers queued beside it. `alone` gives it a group of its own, in its turn; `unqueued` sends it
 * to the database alone, straight away.
 */
export function transfer(
  sql: Sql,
  command: TransferCommand,
  options: MovementOptions = {},
): Promise<MovementResult> {
  return new Promise((resolve, reject) => {
    const queued: QueuedTransfer = {
      command,
      options,
      queuedAt: Date.now(),
      settle: (outcome) => "error" in outcome ? reject(outcome.error) : resolve(outcome.result),
    };
    if (options.unqueued) void commitGroup(sql, [queued]);
    else queueOf(sql).add(queued);
  });
}

type Outcome = { result: MovementResult } | { error: unknown };

interface QueuedTransfer {
  command: TransferCommand;
  options: MovementOptions;
  /** Date.now() when it joined the queue. */
  queuedAt: number;
  settle: (outcome: Outcome) => void;
}

const queues = new WeakMap<Sql, TransferQueue>();

function queueOf(sql: Sql): TransferQueue {
  let queue = queues.get(sql);
  if (!queue) queues.set(sql, queue = new TransferQueue(sql));
  return queue;
}

/**
 * The transfers waiting in this process, and the one group it has in the database. One at a time,
 * because two fail each other: each reads ledger and account pages the other writes (PostgreSQL's
 * predicate locks grow from rows to whole pages once a transaction holds a few on one page), so
 * SERIALIZABLE aborts one of them with 40001. Measured at 8 connections, two at once made 246
 * retries and 950 transfers/s; one at a time, none and 1,290/s.
 */
class TransferQueue {
  #waiting: QueuedTransfer[] = [];
  #sending = false;

  constructor(private readonly sql: Sql) {}

  add(queued: QueuedTransfer): void {
    this.#waiting.push(queued);
    this.#send();
  }

  #send(): void {
    if (this.#sending) return;
    const group = this.#nextGroup();
    if (group.length === 0) return;
    this.#sending = true;
    // The account queue orders the group after this process's other movements on its accounts.
    const committed = queuedOnAccounts(accountsOf(group), () => commitGroup(this.sql, group));
    void settledOrAfter(committed, GROUP_STUCK_MS).then(() => {
      this.#sending = false;
      this.#send();
    });
  }

  /**
   * The waiting transfers that go next, in arrival order. One under other fraud rules than the
   * group's (another app in the same process, as in tests) waits for a later group, and so does
   * every later transfer on its accounts: an account's transfers are decided in arrival order.
   */
  #nextGroup(): QueuedTransfer[] {
    const group: QueuedTransfer[] = [];
    const left: QueuedTransfer[] = [];
    const blocked = new Set<string>();
    for (const [index, queued] of this.#waiting.entries()) {
      const { fromAccountId, toAccountId } = queued.command;
      const free = !blocked.has(fromAccountId) && !blocked.has(toAccountId);
      if (queued.options.alone && group.length === 0 && free) {
        // A group of its own; everything after it waits for the next group.
        this.#waiting = [...left, ...this.#waiting.slice(index + 1)];
        return [queued];
      }
      const fits = free && !queued.options.alone && group.length < GROUP_TRANSFERS_MAX &&
        (group.length === 0 || sameRules(group[0].command, queued.command));
      if (fits) {
        group.push(queued);
      } else {
        left.push(queued);
        blocked.add(fromAccountId).add(toAccountId);
      }
    }
    this.#waiting = left;
    return group;
  }
}

function sameRules(a: TransferCommand, b: TransferCommand): boolean {
  return a.rules === b.rules && a.windowSeconds === b.windowSeconds;
}

function accountsOf(group: readonly QueuedTransfer[]): string[] {
  const ids = new Set<string>();
  for (const { command } of group) ids.add(command.fromAccountId).add(command.toAccountId);
  return [...ids].sort();
}

/** Thrown inside a group's transaction when one transfer fails on its own: the rest run again. */
class TransferFailed extends Error {
  constructor(readonly index: number, override readonly cause: unknown) {
    super("A transfer in the group failed");
  }
}

/**
 * Commits a group and settles every transfer in it; never rejects. A transfer that waited longer
 * than QUEUE_WAIT_MS_MAX, or whose request's `commitBy` has passed, is answered 503 without being
 * tried, and the group's transaction never commits past TRANSACTION_BUDGET_MS nor past any of its
 * transfers' `commitBy`: a client told "retry" has had nothing posted.
 */
async function commitGroup(sql: Sql, queued: QueuedTransfer[]): Promise<void> {
  const start = Date.now();
  let group = queued.filter((transfer) => {
    const { commitBy = Infinity } = transfer.options;
    if (start - transfer.queuedAt <= QUEUE_WAIT_MS_MAX && start < commitBy) return true;
    transfer.settle({ error: new UnavailableError(TOO_BUSY) });
    return false;
  });
  // No transfer commits past its own budget, nor past its request's deadline.
  const deadline = Math.min(
    start + TRANSACTION_BUDGET_MS,
    ...group.map((transfer) => transfer.options.commitBy ?? Infinity),
  );
  while (group.length > 0) {
    // Set once an attempt's work is done: from then on serializable() may send COMMIT.
    let commitMayBeSent = false;
    try {
      const outcomes = await serializable(
        sql,
        async (tx) => {
          commitMayBeSent = false;
          const outcomes = await decideAndRecord(tx, group);
          commitMayBeSent = true;
          return outcomes;
        },
        deadline - Date.now(),
      );
      groupStats.groupsCommitted++;
      groupStats.transfersCommittedInGroups += group.length;
      group.forEach((transfer, index) => transfer.settle(outcomes[index]));
      return;
    } catch (error) {
      if (error instanceof TransferFailed) {
        group[error.index].settle({ error: error.cause });
        group = group.filter((_, index) => index !== error.index);
        continue;
      }
      if (group.length > 1 && certainlyRolledBack(error, commitMayBeSent)) {
        // A failure of the group's shared statements (one transfer's text the database refused,
        // say) is no other transfer's: each runs alone, and it lands on the one that caused it.
        for (const transfer of group) await commitGroup(sql, [transfer]);
        return;
      }
      for (const transfer of group) transfer.settle({ error });
      return;
    }
  }
}

// True when the group's transaction certainly did not commit, so its transfers may run again: it
// failed before COMMIT could be sent, or the server itself refused the COMMIT. A lost connection
// (whatever error the socket gave) once COMMIT may have been sent leaves the outcome unknown, and
// the budget's and the retries' 503s are answers already given.
function certainlyRolledBack(error: unknown, commitMayBeSent: boolean): boolean {
  if (error instanceof UnavailableError || isConnectionFailure(error)) return false;
  return !commitMayBeSent || error instanceof postgres.PostgresError;
}

const TOO_BUSY = "The bank is too busy right now; nothing was posted; retry shortly";

interface FactsRow {
  now: Date | null;
  recentCount: bigint | null;
  outflow24h: bigint | null;
  /** Held on the source account by holds unexpired at this transfer's `now`. */
  held: bigint | null;
}

/**
 * The group's transaction: locks and facts (one round trip), the decisions in order, one write
 * for every ledger row, balance and event, then each transfer's hook (an idempotency record).
 */
async function decideAndRecord(tx: Tx, group: readonly QueuedTransfer[]): Promise<Outcome[]> {
  const commands = group.map((queued) => queued.command);
  const { rules, windowSeconds } = commands[0];
  const [locked, facts] = await Promise.all([
    lockAccounts(tx, accountsOf(group)),
    // Each transfer's own clock, fraud facts, and holds on its source as of its own time.
    tx<FactsRow[]>`
      SELECT f.now, f.recent_count, f.outflow_24h,
        ${heldAtSql(tx, tx`m.from_account_id`, tx`f.now`)} AS held
      FROM unnest(
        ${commands.map((command) => command.userId)}::uuid[],
        ${commands.map((command) => command.fromAccountId)}::uuid[],
        ${commands.map((command) => command.realNow.toISOString())}::timestamptz[]
      ) WITH ORDINALITY AS m (user_id, from_account_id, real_now, position)
      LEFT JOIN LATERAL (${
      outflowFactsSql(tx, { rules, windowSeconds }, {
        userId: tx`m.user_id`,
        fromAccountId: tx`m.from_account_id`,
        realNow: tx`m.real_now`,
      })
    }) AS f ON true
      ORDER BY m.position`,
  ]);
  const needs = factsNeeded(rules);
  const accounts = new Map<string, AccountFacts>(locked.map((account) => [account.id, account]));
  const outflows = new Map<string, EarlierOutflow[]>();
  const outcomes: Outcome[] = new Array(group.length);
  const writes: LedgerWrite[] = [];
  const writers: number[] = [];
  commands.forEach((command, index) => {
    try {
      const { now, recentCount, outflow24h, held } = facts[index];
      if (!now) throw new UnauthorizedError("The bearer token names no user of this bank");
      const source = accounts.get(command.fromAccountId);
      const to = accounts.get(command.toAccountId);
      if (!source || source.userId !== command.userId) throw new NotFoundError("Source account");
      const from = { ...source, available: source.balance - held! };
      if (!to) throw new NotFoundError("Destination account");
      const amount = parseAmount(command.amount, currencyOf(from.currency));
      const fraud = withEarlierOutflows(
        { recentOutflowCount: Number(recentCount), outflowLast24hMinor: outflow24h! },
        outflows.get(from.id) ?? [],
        now,
        windowSeconds,
        needs,
      );
      const verdict = decideTransfer({ from, to, amount, now, fraud, rules });
      writes.push({
        type: "transfer",
        from,
        to,
        amount,
        verdict,
        description: command.description,
        userId: command.userId,
        now,
      });
      writers.push(index);
      if (verdict.approved) {
        const after = afterTransfer(from, to, amount);
        accounts.set(from.id, after.from);
        accounts.set(to.id, after.to);
        if (!outflows.has(from.id)) outflows.set(from.id, []);
        outflows.get(from.id)!.push({ at: now, amount });
      }
    } catch (error) {
      outcomes[index] = { error };
    }
  });
  const entries = writes.length > 0 ? await recordAll(tx, writes) : [];
  for (const [position, index] of writers.entries()) {
    const result = { entry: entries[position], verdict: writes[position].verdict };
    try {
      await group[index].options.onRecorded?.(tx, result);
    } catch (error) {
      // The database's own failures belong to the whole group: it is retried or fails as one.
      if (isRetryable(error) || isConnectionFailure(error)) throw error;
      throw new TransferFailed(index, error);
    }
    outcomes[index] = { result };
  }
  return outcomes;
}
