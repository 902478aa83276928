/**
 * The movement pipeline's engine: every kind of money movement is a command, and commands that
 * queue in this process while an earlier group is in the database go to it together. One
 * SERIALIZABLE transaction locks what the group touches and reads its facts (db/facts.ts, one round
 * trip), the domain plans each command in arrival order (domain/pipeline.ts), one statement writes
 * every plan (db/writer.ts), each command's hook runs (its Idempotency-Key record), and one COMMIT.
 *
 * What each command keeps: its accounts are locked before it is decided; its rows commit or roll
 * back together; a refusal is a ledger row. A command that fails on its own (a 404, a bad amount,
 * a hook that throws) leaves its group and the others commit without it. Each process sends one
 * group at a time; other instances' movements are kept apart by row locks and SERIALIZABLE.
 */
import postgres from "postgres";
import { UnavailableError } from "../domain/errors.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import {
  accountsOf,
  type Command,
  type CommandKind,
  type CommandOf,
  type CommandResults,
  type DecidedPlan,
  planGroup,
} from "../domain/pipeline.ts";
import { PLANNERS } from "../domain/planners/mod.ts";
import { type BatchCommand, batchOutcome, planBatch } from "../domain/batches.ts";
import { emptyPlan } from "../domain/planners/rows.ts";
import { QUEUE_WAIT_MS_MAX, queuedOnAccounts, settledOrAfter } from "./account_queue.ts";
import type { Sql, Tx } from "./client.ts";
import { isConnectionFailure } from "./connection_failures.ts";
import { readFacts } from "./facts.ts";
import {
  elapsedMs,
  type InFlight,
  isRetryable,
  serializable,
  TRANSACTION_BUDGET_MS,
} from "./serializable.ts";
import { writePlans } from "./writer.ts";

/**
 * The rules a group is decided under; commands under other rules wait for a later group. A
 * command that moves no money out (a deposit) reads no rules and fits any group.
 */
export interface PipelineContext {
  rules: readonly FraudRule[];
}

/** Hooks into a command's transaction, and how it queues. */
export interface SubmitOptions<R> {
  /**
   * Runs inside the group's transaction after every plan is written and before commit: whatever
   * it writes (an idempotency record) commits or rolls back with the money.
   */
  onRecorded?: (tx: Tx, result: R) => Promise<void>;
  /**
   * Skips the in-process queues: tests use it to show the database alone keeps every movement
   * correct, as it must with several instances.
   */
  unqueued?: boolean;
  /**
   * When, on the elapsed-time timer (serializable.ts `elapsedMs`), the command must have sent its COMMIT (the request's own deadline); past it
   * the command rolls back and answers 503: a client the request timeout told to retry has had
   * nothing posted.
   */
  commitBy?: number;
  /** A group of its own: for a request that may fail on purpose (a simulated fault). */
  alone?: boolean;
}

/**
 * How long the next group waits for one that has not come back before going anyway: a last
 * resort, as serializable() gives a transaction up HUNG_TRANSACTION_GRACE_MS past its budget (a
 * driver stuck on a dead connection, a lock held elsewhere). The database keeps the two apart,
 * and this process's movements must not all stall behind one. By then the stuck group can no
 * longer commit: a group starts within QUEUE_WAIT_MS_MAX of its commands' arrival and never
 * commits past TRANSACTION_BUDGET_MS.
 */
export const GROUP_STUCK_MS = QUEUE_WAIT_MS_MAX + TRANSACTION_BUDGET_MS;

/** The most commands one group commits. */
export const GROUP_COMMANDS_MAX = 64;

/** Groups committed and the commands they held (logged as `stats` on SIGUSR1; the bench reads it). */
export const groupStats = { groupsCommitted: 0, transfersCommittedInGroups: 0 };

/**
 * Runs a command in a group with the commands queued beside it and resolves with its planner's
 * result. `alone` gives it a group of its own, in its turn; `unqueued` sends it to the database
 * alone, straight away.
 */
export function submit<K extends CommandKind>(
  sql: Sql,
  command: CommandOf<K>,
  context: PipelineContext | undefined,
  options: SubmitOptions<CommandResults[K]> = {},
): Promise<CommandResults[K]> {
  return new Promise((resolve, reject) => {
    // planGroup hands each command its own kind's planner's result: CommandResults[K] here.
    const typed = (result: unknown) => result as CommandResults[K];
    const { onRecorded } = options;
    const queued: Queued = {
      commands: [command],
      context,
      options: {
        ...options,
        onRecorded: onRecorded && ((tx, result) => onRecorded(tx, typed(result))),
      },
      queuedAt: elapsedMs(),
      settle: (outcome) =>
        "error" in outcome ? reject(outcome.error) : resolve(typed(outcome.result)),
    };
    if (options.unqueued) void commitGroup(sql, [queued]);
    else queueOf(sql).add(queued);
  });
}

/** A batch's outcome: each item's planner result or the error it met, and the batch's fate. */
export interface BatchResult<K extends BatchCommand["kind"]> {
  /** True when an atomic batch was refused as a whole: nothing moved. */
  rejected: boolean;
  items: ({ result: CommandResults[K] } | { error: unknown })[];
}

/**
 * Runs a batch's items as one group of their own, in its turn among this process's groups:
 * decided in order under the batch rule (domain/batches.ts) and committed together, with one hook
 * for the whole batch (its Idempotency-Key record). A malformed item rejects with a 400 and
 * nothing is written.
 */
export function submitBatch<K extends BatchCommand["kind"]>(
  sql: Sql,
  batch: { id: string; commands: readonly CommandOf<K>[]; atomic: boolean },
  context: PipelineContext,
  options: SubmitOptions<BatchResult<K>> = {},
): Promise<BatchResult<K>> {
  return new Promise((resolve, reject) => {
    // planAndWriteBatch hands back each item's own kind's planner's result.
    const typed = (result: unknown) => result as BatchResult<K>;
    const { onRecorded } = options;
    const queued: Queued = {
      commands: batch.commands,
      batch: { id: batch.id, atomic: batch.atomic, items: batch.commands, context },
      context,
      options: {
        ...options,
        alone: true,
        onRecorded: onRecorded && ((tx, result) => onRecorded(tx, typed(result))),
      },
      queuedAt: elapsedMs(),
      settle: (outcome) =>
        "error" in outcome ? reject(outcome.error) : resolve(typed(outcome.result)),
    };
    if (options.unqueued) void commitGroup(sql, [queued]);
    else queueOf(sql).add(queued);
  });
}

type Outcome = { result: unknown } | { error: unknown };

interface Queued {
  /** One command, or a batch's items. */
  commands: readonly Command[];
  /** Present for a batch (its items are `commands`): a group of its own, under the batch rule. */
  batch?: {
    id: string;
    atomic: boolean;
    items: readonly BatchCommand[];
    context: PipelineContext;
  };
  context: PipelineContext | undefined;
  options: SubmitOptions<unknown>;
  /** elapsedMs() when it joined the queue. */
  queuedAt: number;
  settle: (outcome: Outcome) => void;
}

const queues = new WeakMap<Sql, CommandQueue>();

function queueOf(sql: Sql): CommandQueue {
  let queue = queues.get(sql);
  if (!queue) queues.set(sql, queue = new CommandQueue(sql));
  return queue;
}

/**
 * The commands waiting in this process, and the one group it has in the database. One at a time,
 * because two fail each other: each reads ledger and account pages the other writes (PostgreSQL's
 * predicate locks grow from rows to whole pages once a transaction holds a few on one page), so
 * SERIALIZABLE aborts one of them with 40001. Measured at 8 connections, two at once made 246
 * retries and 950 transfers/s; one at a time, none and 1,290/s.
 */
class CommandQueue {
  #waiting: Queued[] = [];
  #sending = false;

  constructor(private readonly sql: Sql) {}

  add(queued: Queued): void {
    this.#waiting.push(queued);
    this.#send();
  }

  #send(): void {
    if (this.#sending) return;
    const group = this.#nextGroup();
    if (group.length === 0) return;
    this.#sending = true;
    // The account queue orders the group after this process's other work on its accounts.
    const committed = queuedOnAccounts(lockedBy(group), () => commitGroup(this.sql, group));
    void settledOrAfter(committed, GROUP_STUCK_MS).then(() => {
      this.#sending = false;
      this.#send();
    });
  }

  /**
   * The waiting commands that go next, in arrival order. One under other fraud rules than the
   * group's (another app in the same process, as in tests) waits for a later group, and so does
   * every later command on its accounts: an account's commands are decided in arrival order.
   */
  #nextGroup(): Queued[] {
    const group: Queued[] = [];
    const left: Queued[] = [];
    const blocked = new Set<string>();
    let context: PipelineContext | undefined;
    for (const [index, queued] of this.#waiting.entries()) {
      const accounts = queued.commands.flatMap((command) => accountsOf(command));
      const free = accounts.every((id) => !blocked.has(id));
      if (queued.options.alone && group.length === 0 && free) {
        // A group of its own; everything after it waits for the next group.
        this.#waiting = [...left, ...this.#waiting.slice(index + 1)];
        return [queued];
      }
      const fits = free && !queued.options.alone && group.length < GROUP_COMMANDS_MAX &&
        sameRules(context, queued.context);
      if (fits) {
        group.push(queued);
        context ??= queued.context;
      } else {
        left.push(queued);
        for (const id of accounts) blocked.add(id);
      }
    }
    this.#waiting = left;
    return group;
  }
}

function sameRules(a: PipelineContext | undefined, b: PipelineContext | undefined): boolean {
  if (!a || !b) return true;
  return a.rules === b.rules;
}

const NO_RULES: PipelineContext = { rules: [] };

function lockedBy(group: readonly Queued[]): string[] {
  const commands = group.flatMap((member) => member.commands);
  return [...new Set(commands.flatMap((command) => accountsOf(command)))].sort();
}

/** Thrown inside a group's transaction when one command fails on its own: the rest run again. */
class CommandFailed extends Error {
  constructor(readonly index: number, override readonly cause: unknown) {
    super("A command in the group failed");
  }
}

/**
 * Commits a group and settles every command in it; never rejects. A command that waited longer
 * than QUEUE_WAIT_MS_MAX, or whose request's `commitBy` has passed, is answered 503 without being
 * tried, and the group's transaction never commits past TRANSACTION_BUDGET_MS nor past any of its
 * commands' `commitBy`: a client told "retry" has had nothing posted.
 */
async function commitGroup(sql: Sql, queued: Queued[]): Promise<void> {
  const start = elapsedMs();
  let group = queued.filter((member) => {
    const { commitBy = Infinity } = member.options;
    if (start - member.queuedAt <= QUEUE_WAIT_MS_MAX && start < commitBy) return true;
    member.settle({ error: new UnavailableError(TOO_BUSY) });
    return false;
  });
  // No command commits past its own budget, nor past its request's deadline.
  const deadline = Math.min(
    start + TRANSACTION_BUDGET_MS,
    ...group.map((member) => member.options.commitBy ?? Infinity),
  );
  while (group.length > 0) {
    // Set once an attempt's work is done: from then on serializable() may send COMMIT.
    let commitMayBeSent = false;
    try {
      const outcomes = await serializable(
        sql,
        async (tx, inFlight) => {
          commitMayBeSent = false;
          const outcomes = await planAndWrite(tx, group, inFlight);
          commitMayBeSent = true;
          return outcomes;
        },
        deadline - elapsedMs(),
      );
      groupStats.groupsCommitted++;
      groupStats.transfersCommittedInGroups += group.reduce((n, m) => n + m.commands.length, 0);
      group.forEach((member, index) => member.settle(outcomes[index]));
      return;
    } catch (error) {
      if (error instanceof CommandFailed) {
        group[error.index].settle({ error: error.cause });
        group = group.filter((_, index) => index !== error.index);
        continue;
      }
      if (group.length > 1 && certainlyRolledBack(error, commitMayBeSent)) {
        // A failure of the group's shared statements (one command's text the database refused,
        // say) is no other command's: each runs alone, and it lands on the one that caused it.
        for (const member of group) await commitGroup(sql, [member]);
        return;
      }
      for (const member of group) member.settle({ error });
      return;
    }
  }
}

// True when the group's transaction certainly did not commit, so its commands may run again: it
// failed before COMMIT could be sent, or the server itself refused the COMMIT. A lost connection
// (whatever error the socket gave) once COMMIT may have been sent leaves the outcome unknown, and
// the budget's and the retries' 503s are answers already given.
function certainlyRolledBack(error: unknown, commitMayBeSent: boolean): boolean {
  if (error instanceof UnavailableError || isConnectionFailure(error)) return false;
  return !commitMayBeSent || error instanceof postgres.PostgresError;
}

const TOO_BUSY = "The bank is too busy right now; nothing was posted; retry shortly";

/**
 * The group's transaction: locks and facts (one round trip), the plans in order, one write for
 * every row, then each command's hook (an idempotency record). The write and the hooks'
 * statements go out together and are left in flight, so the COMMIT follows them in the same round
 * trip: a group costs BEGIN, the locking read, and the write with its COMMIT.
 */
async function planAndWrite(
  tx: Tx,
  group: readonly Queued[],
  inFlight: InFlight,
): Promise<Outcome[]> {
  const { batch } = group[0];
  if (group.length === 1 && batch) {
    return [await planAndWriteBatch(tx, batch, group[0].options, inFlight)];
  }
  const commands = group.flatMap((member) => member.commands);
  const context = group.find((member) => member.context)?.context ?? NO_RULES;
  const facts = await readFacts(tx, commands, context);
  const { decisions, balances } = planGroup(commands, facts, PLANNERS, {
    ...context,
    newId: () => crypto.randomUUID(),
  });
  const plans: DecidedPlan[] = [];
  const outcomes: Outcome[] = decisions.map((decision) => {
    if ("error" in decision) return decision;
    plans.push(decision.plan);
    return { result: decision.plan.result };
  });
  const written = plans.length > 0 ? writePlans(tx, plans, balances) : Promise.resolve();
  inFlight(written);
  for (const [index, outcome] of outcomes.entries()) {
    if (!("result" in outcome)) continue;
    try {
      await group[index].options.onRecorded?.(tx, outcome.result);
    } catch (error) {
      // A hook's statement behind a failed write fails too (25P02): the write's failure is the
      // cause, and the group's. Its answer came first, so this waits for nothing.
      await written;
      // The database's own failures belong to the whole group: it is retried or fails as one.
      if (isRetryable(error) || isConnectionFailure(error)) throw error;
      throw new CommandFailed(index, error);
    }
  }
  return outcomes;
}

/**
 * A batch's transaction: locks and facts for every item (one round trip), the batch decided as
 * one group, one write, then the batch's hook. A malformed item throws before anything is written.
 */
async function planAndWriteBatch(
  tx: Tx,
  batch: NonNullable<Queued["batch"]>,
  options: SubmitOptions<unknown>,
  inFlight: InFlight,
): Promise<Outcome> {
  const commands = batch.items;
  const context = batch.context;
  const facts = await readFacts(tx, commands, context);
  const decided = planBatch(commands, facts, PLANNERS, {
    ...context,
    atomic: batch.atomic,
    batchId: batch.id,
    newId: () => crypto.randomUUID(),
  });
  if (decided.kind === "invalid") throw decided.error;
  const plans = decided.decisions.flatMap((decision) => "plan" in decision ? [decision.plan] : []);
  // Dated by the initiator's clock, as the items are (every item has the same user and time).
  const at = facts.perCommand[0]?.now ?? commands[0].realNow;
  const { id, atomic } = batch;
  const { record, event } = batchOutcome(
    { id, atomic, kind: commands[0].kind, userId: commands[0].userId, at },
    decided,
  );
  plans.push({ ...emptyPlan(null), batches: [record], events: [event], written: [] });
  const written = writePlans(tx, plans, decided.balances);
  inFlight(written);
  const result = {
    rejected: decided.rejected,
    items: decided.decisions.map((decision) =>
      "plan" in decision ? { result: decision.plan.result } : decision
    ),
  };
  try {
    await options.onRecorded?.(tx, result);
  } catch (error) {
    await written; // a failed write is the cause of what its hook met (see planAndWrite)
    throw error;
  }
  return { result };
}
