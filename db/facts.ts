/**
 * The pipeline's locking read: every account a group touches, locked FOR UPDATE in id order (the
 * one order every movement uses), and each command's facts — its initiator's sandbox clock, the
 * fraud facts the rules declare, and what holds reserve on its source — read under those locks.
 * Two statements sent together: one round trip. It decides nothing.
 */
import { DAILY_OUTFLOW_WINDOW_SECONDS, factsNeeded, type FraudRule } from "../domain/fraud/mod.ts";
import type { AuthorizationState } from "../domain/card_authorizations.ts";
import { OUTFLOW_TYPES } from "../domain/ledger.ts";
import {
  accountsOf,
  type CardState,
  type Command,
  type CommandFacts,
  type GroupFacts,
  heldAccountOf,
  type HoldState,
  type LockedAccount,
  type PaymentState,
  type RowRefs,
  rowsOf,
  sourceOf,
} from "../domain/pipeline.ts";
import { fxPositionAccountId } from "../domain/fx_positions.ts";
import type { FxQuoteState } from "../domain/fx_quotes.ts";
import type { DebitOrderState } from "../domain/debit_orders.ts";
import type { ScheduleState } from "../domain/schedules.ts";
import type { Fragment, Queryable, Tx } from "./client.ts";
import { fxQuoteColumnsSql } from "./fx.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/**
 * The group's locked rows and each command's facts, in command order. Cards, card authorizations,
 * holds and payments the commands name are locked first (each only with the user who names it:
 * another's is not read), then every account, so the order is the same for every group: cards,
 * authorizations, holds (an authorization's own included), payments, accounts.
 */
export async function readFacts(
  tx: Tx,
  commands: readonly Command[],
  context: { rules: readonly FraudRule[] },
): Promise<GroupFacts> {
  const rows = await lockRows(tx, commands);
  const { cards, authorizations, holds, payments, fxQuotes, schedules, debitOrders } = rows;
  const rowAccounts = new Map<string, string[]>();
  for (
    const row of [...cards, ...authorizations, ...holds, ...payments, ...schedules, ...debitOrders]
  ) {
    rowAccounts.set(row.id, [row.accountId]);
  }
  // An FX transfer also moves money through the bank's positions in the quote's two currencies.
  for (const quote of fxQuotes) {
    rowAccounts.set(quote.id, [quote.fromCurrency, quote.toCurrency].map(fxPositionAccountId));
  }
  const accountsOfRow = (command: Command) => {
    const named = rowsOf(command);
    const id = named.holdId ?? named.paymentId ?? named.cardId ?? named.authorizationId ??
      named.fxQuoteId ?? named.scheduleId ?? named.debitOrderId;
    return rowAccounts.get(id ?? "") ?? [];
  };
  const rowAccount = (command: Command) => accountsOfRow(command)[0];
  const ids = [...new Set(commands.flatMap((command) => accountsOf(command, accountsOfRow)))]
    .sort();
  // Commands alike in user, the accounts their facts are read on and request time (a batch's
  // items) read their facts once: a 1000-item batch out of one account is one fraud read, not a
  // thousand.
  const keyOf = (command: Command) =>
    [
      command.userId,
      sourceOf(command, rowAccount),
      heldAccountOf(command, rowAccount),
      closingAccountOf(command),
      command.realNow.toISOString(),
    ].join(" ");
  const distinct = [...new Map(commands.map((command) => [keyOf(command), command])).values()];
  const [accounts, distinctFacts] = await Promise.all([
    tx<LockedAccount[]>`
      SELECT a.id, a.user_id, a.account_number, a.currency, a.balance, a.status,
        a.status_reason, a.kind, u.clock_offset_seconds, a.created_at, a.updated_at
      FROM accounts a JOIN users u ON u.id = a.user_id
      WHERE a.id = ANY(${ids}::uuid[]) ORDER BY a.id FOR UPDATE OF a`,
    tx<CommandFacts[]>`
      SELECT f.now, f.recent_count, f.outflow_24h,
        ${heldAtSql(tx, tx`m.held_id`, tx`f.now`)} AS held,
        ${pendingOutboundSql(tx, tx`m.closing_id`)} AS pending_outbound
      FROM unnest(
        ${distinct.map((command) => command.userId)}::uuid[],
        ${distinct.map((command) => sourceOf(command, rowAccount))}::uuid[],
        ${distinct.map((command) => heldAccountOf(command, rowAccount))}::uuid[],
        ${distinct.map(closingAccountOf)}::uuid[],
        ${distinct.map((command) => command.realNow.toISOString())}::timestamptz[]
      ) WITH ORDINALITY AS m (user_id, source_id, held_id, closing_id, real_now, position)
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
  return { accounts, ...rows, perCommand };
}

// The facts of a command whose user is gone (the LEFT JOIN found no clock): it is refused as such.
const NO_USER: CommandFacts = { now: null, recentCount: null, outflow24h: null, held: null };

// The rows the commands name, locked in id order, table by table: cards and authorizations first
// (one round trip), then holds (those the authorizations reserve with), payments, FX quotes,
// schedules and debit orders (another). None is read for a table no command names; a row is read
// only for the user whose command names it.
async function lockRows(tx: Tx, commands: readonly Command[]) {
  const [cards, authorizations] = await Promise.all([
    lockCards(tx, refsOf(commands, "cardId")),
    lockAuthorizations(tx, refsOf(commands, "authorizationId")),
  ]);
  const holdRefs = [
    ...refsOf(commands, "holdId"),
    ...authorizations.flatMap((row) => row.holdId ? [{ id: row.holdId, userId: row.userId }] : []),
  ];
  const [holds, payments, fxQuotes, schedules, debitOrders] = await Promise.all([
    lockNamed<HoldState>(tx, "holds", holdRefs),
    lockNamed<PaymentState>(tx, "payments", refsOf(commands, "paymentId")),
    lockQuotes(tx, refsOf(commands, "fxQuoteId")),
    lockSchedules(tx, refsOf(commands, "scheduleId")),
    lockDebitOrders(tx, refsOf(commands, "debitOrderId")),
  ]);
  return { cards, authorizations, holds, payments, fxQuotes, schedules, debitOrders };
}

async function lockQuotes(
  tx: Tx,
  refs: { id: string; userId: string }[],
): Promise<FxQuoteState[]> {
  if (refs.length === 0) return [];
  const rows = await tx<FxQuoteState[]>`
    SELECT ${fxQuoteColumnsSql(tx, tx`x`)} FROM fx_quotes x
    JOIN unnest(${refs.map((ref) => ref.id)}::uuid[], ${refs.map((ref) => ref.userId)}::uuid[])
      AS m (id, user_id) ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return [...rows];
}

// Dates come back as text (YYYY-MM-DD), as the domain keeps them.
async function lockSchedules(tx: Tx, refs: { id: string; userId: string }[]) {
  if (refs.length === 0) return [];
  const rows = await tx<ScheduleState[]>`
    SELECT x.id, x.user_id, x.account_id, x.amount, x.currency, x.counterparty, x.description,
      x.run_interval AS interval, x.start_date::text, x.next_run_on::text, x.next_run_at,
      x.runs_made, x.count, x.end_date::text, x.status, x.created_at, x.ended_at
    FROM payment_schedules x
    JOIN unnest(${refs.map((r) => r.id)}::uuid[], ${refs.map((r) => r.userId)}::uuid[])
      AS m (id, user_id) ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return [...rows];
}

async function lockCards(tx: Tx, refs: { id: string; userId: string }[]): Promise<CardState[]> {
  if (refs.length === 0) return [];
  const rows = await tx<CardState[]>`
    SELECT x.id, x.user_id, x.account_id, x.status FROM cards x
    JOIN unnest(${refs.map((ref) => ref.id)}::uuid[], ${refs.map((ref) => ref.userId)}::uuid[])
      AS m (id, user_id) ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return [...rows];
}

async function lockAuthorizations(
  tx: Tx,
  refs: { id: string; userId: string }[],
): Promise<AuthorizationState[]> {
  if (refs.length === 0) return [];
  const rows = await tx<AuthorizationRow[]>`
    SELECT x.* FROM card_authorizations x
    JOIN unnest(${refs.map((ref) => ref.id)}::uuid[], ${refs.map((ref) => ref.userId)}::uuid[])
      AS m (id, user_id) ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return rows.map(authorizationFromRow);
}

/** A card_authorizations row as postgres.js returns it (camel-cased columns). */
export interface AuthorizationRow extends Omit<AuthorizationState, "merchant"> {
  seq: bigint;
  merchantName: string;
  merchantMcc: string;
  merchantCountry: string | null;
}

/** An authorization as the domain sees it, from its row. */
export function authorizationFromRow(row: AuthorizationRow): AuthorizationState {
  const { seq: _seq, merchantName, merchantMcc, merchantCountry, ...rest } = row;
  return { ...rest, merchant: { name: merchantName, mcc: merchantMcc, country: merchantCountry } };
}

async function lockDebitOrders(tx: Tx, refs: { id: string; userId: string }[]) {
  if (refs.length === 0) return [];
  const rows = await tx<DebitOrderState[]>`
    SELECT x.id, x.user_id, x.account_id, x.amount, x.currency, x.creditor,
      x.collect_on::text, x.collect_at, x.status, x.reason, x.transaction_id,
      x.reversal_transaction_id, x.created_at, x.collected_at, x.reversed_at
    FROM debit_orders x
    JOIN unnest(${refs.map((r) => r.id)}::uuid[], ${refs.map((r) => r.userId)}::uuid[])
      AS m (id, user_id) ON x.id = m.id AND x.user_id = m.user_id
    ORDER BY x.id FOR UPDATE OF x`;
  return [...rows];
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
    SELECT sum(greatest(h.amount - h.captured_amount, 0)) FROM holds h
    WHERE h.account_id = ${accountId} AND h.status = 'active' AND h.expires_at > ${ownerNow}
  ), 0)::bigint`;
}

// The account a close acts on: only a close reads its pending outbound payments.
function closingAccountOf(command: Command): string | null {
  return command.kind === "account_status" && command.action === "close" ? command.accountId : null;
}

// Outbound payments still pending on the account (0 when no account is named).
function pendingOutboundSql(tx: Tx, accountId: Fragment): Fragment {
  return tx`(SELECT count(*) FROM payments p
    WHERE p.account_id = ${accountId} AND p.direction = 'outbound' AND p.status = 'pending')`;
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
function refsOf(commands: readonly Command[], key: keyof RowRefs) {
  return commands.flatMap((command) => {
    const id = rowsOf(command)[key];
    return id ? [{ id, userId: command.userId }] : [];
  });
}
