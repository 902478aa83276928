/**
 * The pipeline's locking read: every account a group touches, locked FOR UPDATE in id order (the
 * one order every movement uses), and each command's facts — its initiator's sandbox clock, the
 * fraud facts the rules declare, and what holds reserve on its source — read under those locks.
 * Two statements sent together: one round trip. It decides nothing.
 */
import { DAILY_OUTFLOW_WINDOW_SECONDS, factsNeeded, type FraudRule } from "../domain/fraud/mod.ts";
import { OUTFLOW_TYPES } from "../domain/ledger.ts";
import {
  accountsOf,
  type Command,
  type CommandFacts,
  type GroupFacts,
  type HoldState,
  type LockedAccount,
  type PaymentState,
  rowsOf,
  sourceOf,
} from "../domain/pipeline.ts";
import type { Fragment, Queryable, Tx } from "./client.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/**
 * The group's locked rows and each command's facts, in command order. Holds and payments the
 * commands name are locked first (each only with the user who names it: another's is not read),
 * then every account, so the order is the same for every group: holds, payments, accounts.
 */
export async function readFacts(
  tx: Tx,
  commands: readonly Command[],
  context: { rules: readonly FraudRule[] },
): Promise<GroupFacts> {
  const { holds, payments } = await lockRows(tx, commands);
  const rowAccounts = new Map<string, string>();
  for (const row of [...holds, ...payments]) rowAccounts.set(row.id, row.accountId);
  const rowAccount = (command: Command) => {
    const { holdId, paymentId } = rowsOf(command);
    return rowAccounts.get(holdId ?? paymentId ?? "");
  };
  const ids = [...new Set(commands.flatMap((command) => accountsOf(command, rowAccount)))].sort();
  // Commands alike in user, source and request time (a batch's items) read their facts once: a
  // 1000-item batch out of one account is one fraud read, not a thousand.
  const keyOf = (command: Command) =>
    `${command.userId} ${sourceOf(command)} ${command.realNow.toISOString()}`;
  const distinct = [...new Map(commands.map((command) => [keyOf(command), command])).values()];
  const [accounts, distinctFacts] = await Promise.all([
    tx<LockedAccount[]>`
      SELECT a.id, a.user_id, a.currency, a.balance, u.clock_offset_seconds
      FROM accounts a JOIN users u ON u.id = a.user_id
      WHERE a.id = ANY(${ids}::uuid[]) ORDER BY a.id FOR UPDATE OF a`,
    tx<CommandFacts[]>`
      SELECT f.now, f.recent_count, f.outflow_24h,
        ${heldAtSql(tx, tx`m.source_id`, tx`f.now`)} AS held
      FROM unnest(
        ${distinct.map((command) => command.userId)}::uuid[],
        ${distinct.map(sourceOf)}::uuid[],
        ${distinct.map((command) => command.realNow.toISOString())}::timestamptz[]
      ) WITH ORDINALITY AS m (user_id, source_id, real_now, position)
      LEFT JOIN LATERAL (${
      outflowFactsSql(tx, context, {
        userId: tx`m.user_id`,
        fromAccountId: tx`m.source_id`,
        realNow: tx`m.real_now`,
      })
    }) AS f ON true
      ORDER BY m.position`,
  ]);
  const factsByKey = new Map(
    distinct.map((command, index) => [keyOf(command), distinctFacts[index]]),
  );
  const perCommand = commands.map((command) => factsByKey.get(keyOf(command)) ?? NO_USER);
  return { accounts, holds, payments, perCommand };
}

// The facts of a command whose user is gone (the LEFT JOIN found no clock): it is refused as such.
const NO_USER: CommandFacts = { now: null, recentCount: null, outflow24h: null, held: null };

// The holds and payments the commands name, locked in id order, holds first (one round trip; none
// if no command names one). A row is read only for the user whose command names it.
async function lockRows(
  tx: Tx,
  commands: readonly Command[],
): Promise<{ holds: HoldState[]; payments: PaymentState[] }> {
  const [holds, payments] = await Promise.all([
    lockNamed<HoldState>(tx, "holds", refsOf(commands, "holdId")),
    lockNamed<PaymentState>(tx, "payments", refsOf(commands, "paymentId")),
  ]);
  return { holds, payments };
}

async function lockNamed<T extends HoldState | PaymentState>(
  tx: Tx,
  table: "holds" | "payments",
  refs: { id: string; userId: string }[],
): Promise<T[]> {
  if (refs.length === 0) return [];
  const ids = refs.map((ref) => ref.id);
  const users = refs.map((ref) => ref.userId);
  const rows = await tx<T[]>`
    SELECT x.* FROM ${tx(table)} x
    JOIN unnest(${ids}::uuid[], ${users}::uuid[]) AS m (id, user_id)
      ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return [...rows];
}

/** Minor units reserved by the account's active holds still unexpired at `ownerNow` (its owner's clock). */
export function heldAtSql(tx: Queryable, accountId: Fragment, ownerNow: Fragment): Fragment {
  return tx`coalesce((
    SELECT sum(h.amount) FROM holds h
    WHERE h.account_id = ${accountId} AND h.status = 'active' AND h.expires_at > ${ownerNow}
  ), 0)::bigint`;
}

/** Who moves money out of which account, as SQL columns of the command rows. */
interface OutflowSource {
  userId: Fragment;
  fromAccountId: Fragment;
  realNow: Fragment;
}

/**
 * The user's clock and only the facts the rules read, as one row (none if the user is gone).
 * Every ledger row read here becomes a predicate lock, so the velocity count stops at the limit
 * it is compared with: however busy the account, it reads at most that many rows (many more would
 * escalate to a lock on the whole ledger and set concurrent transfers failing each other with
 * 40001). A command with no source (a deposit) reads no ledger rows at all.
 */
function outflowFactsSql(
  tx: Tx,
  context: { rules: readonly FraudRule[] },
  source: OutflowSource,
): Fragment {
  const needs = factsNeeded(context.rules);
  const outflows = tx`
    FROM transactions t
    WHERE t.from_account_id = ${source.fromAccountId} AND t.status = 'approved'
      AND t.type = ANY(${[...OUTFLOW_TYPES]}::text[])`;
  const recent = needs.recentOutflowCount
    ? tx`(SELECT count(*) FROM (
          SELECT 1 ${outflows}
            AND t.created_at > clock.now
              - ${needs.recentOutflowCount.windowSeconds} * interval '1 second'
          LIMIT ${needs.recentOutflowCount.atLeast}) AS window_rows)`
    : tx`0::bigint`;
  const daily = needs.outflowLast24hMinor
    ? tx`(SELECT coalesce(sum(t.amount), 0)::bigint ${outflows}
          AND t.created_at > clock.now - ${DAILY_OUTFLOW_WINDOW_SECONDS} * interval '1 second')`
    : tx`0::bigint`;
  return tx`
    SELECT clock.now, ${recent} AS recent_count, ${daily} AS outflow_24h
    FROM (
      SELECT ${sandboxNowSql(tx, source.realNow, tx`users`)} AS now
      FROM users WHERE id = ${source.userId}
    ) AS clock`;
}

// Each command's reference to a row of one table, with the user who names it.
function refsOf(commands: readonly Command[], key: "holdId" | "paymentId") {
  return commands.flatMap((command) => {
    const id = rowsOf(command)[key];
    return id ? [{ id, userId: command.userId }] : [];
  });
}
