/**
 * The banking kinds' share of the bank invariant: every movement of the mix that was acknowledged
 * is in the database as it was answered — each approved batch item an approved row of its key, a
 * refused atomic batch no approved row at all, each payment with its payment_out, each return
 * after settlement a returned payment with its code and its credit, each standing order and debit
 * order stored, each dispute a reversed order with its reversal.
 */
import assert from "node:assert/strict";
import type { Sql } from "../../db/client.ts";
import type { Attempt } from "./http.ts";

type Json = Record<string, unknown>;

/** Checks every answered banking attempt against the database. */
export async function assertBankingKinds(sql: Sql, attempts: readonly Attempt[]): Promise<void> {
  const of = (kind: string, status: number) =>
    attempts.filter((attempt) => attempt.kind === kind && attempt.status === status);
  await assertTransferBatches(sql, of("batch", 201), of("batch", 422));
  const bulkPayments = of("bulk", 201).flatMap((attempt) =>
    results(attempt).filter((item) => item.status === "approved").map((item) =>
      String((item.payment as Json).id)
    )
  );
  const payments = of("payment", 201).map((attempt) => String(attempt.answer?.id));
  await assertPaymentsPosted(sql, [...bulkPayments, ...payments]);
  await assertReturnsAfterSettlement(sql, of("return", 200));
  await assertStored(sql, "payment_schedules", of("schedule", 201));
  await assertStored(sql, "debit_orders", of("debit_order", 201));
  await assertDisputes(sql, of("dispute", 200));
}

function results(attempt: Attempt): Json[] {
  return (attempt.answer?.results ?? []) as Json[];
}

async function assertTransferBatches(sql: Sql, posted: Attempt[], refused: Attempt[]) {
  const approved = posted.flatMap((attempt) =>
    results(attempt).filter((item) => item.status === "approved").map((item) => ({
      id: String((item.transaction as Json).id),
      description: `chaos:${attempt.key}:${item.index}`,
    }))
  );
  if (approved.length > 0) {
    const rows = await sql<{ id: string; description: string }[]>`
      SELECT id, description FROM transactions
      WHERE id IN ${sql(approved.map((item) => item.id))} AND status = 'approved'`;
    const byId = new Map(rows.map((row) => [row.id, row.description]));
    for (const item of approved) {
      assert.equal(
        byId.get(item.id),
        item.description,
        "every approved batch item is in the ledger",
      );
    }
  }
  for (const attempt of refused) {
    const [{ moved }] = await sql<{ moved: bigint }[]>`
      SELECT count(*) AS moved FROM transactions
      WHERE description LIKE ${`chaos:${attempt.key}:%`} AND status = 'approved'`;
    assert.equal(moved, 0n, `the refused atomic batch ${attempt.key} moved no money`);
  }
}

async function assertPaymentsPosted(sql: Sql, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await sql<{ id: string }[]>`
    SELECT p.id FROM payments p JOIN transactions t ON t.id = p.transaction_id
    WHERE p.id IN ${sql(ids)} AND p.direction = 'outbound'
      AND t.type = 'payment_out' AND t.status = 'approved'`;
  assert.equal(rows.length, ids.length, "every acknowledged payment has its approved payment_out");
}

async function assertReturnsAfterSettlement(sql: Sql, returns: Attempt[]) {
  if (returns.length === 0) return;
  const rows = await sql<{ id: string; returnCode: string }[]>`
    SELECT p.id, p.return_code FROM payments p JOIN transactions t ON t.id = p.return_transaction_id
    WHERE p.id IN ${sql(returns.map((attempt) => attempt.target!))} AND p.status = 'returned'
      AND p.settled_at IS NOT NULL AND p.returned_at >= p.settled_at
      AND t.type = 'payment_return' AND t.status = 'approved'`;
  const codes = new Map(rows.map((row) => [row.id, row.returnCode]));
  for (const attempt of returns) {
    assert.equal(
      codes.get(attempt.target!),
      attempt.answer?.return_code,
      `payment ${attempt.target} was returned after settlement, credited back, with its code`,
    );
    if (attempt.body.code) assert.equal(attempt.answer?.return_code, attempt.body.code);
  }
}

async function assertStored(sql: Sql, table: string, created: Attempt[]) {
  if (created.length === 0) return;
  const ids = created.map((attempt) => String(attempt.answer?.id));
  const rows = await sql`SELECT id FROM ${sql(table)} WHERE id IN ${sql(ids)}`;
  assert.equal(rows.length, ids.length, `every acknowledged row of ${table} is stored`);
}

async function assertDisputes(sql: Sql, disputes: Attempt[]) {
  if (disputes.length === 0) return;
  const rows = await sql<{ id: string }[]>`
    SELECT d.id FROM debit_orders d JOIN transactions t ON t.id = d.reversal_transaction_id
    WHERE d.id IN ${sql(disputes.map((attempt) => attempt.target!))} AND d.status = 'reversed'
      AND t.type = 'debit_order_reversal' AND t.status = 'approved'`;
  assert.equal(rows.length, disputes.length, "every acknowledged dispute reversed its collection");
}

/**
 * The mix really ran every banking kind: a run of it leaves batches of both kinds answered, a
 * standing order's run made by the clock, a debit order collected and one disputed back, and a
 * payment returned after it settled. Returns what it counted.
 */
export async function assertMixCovered(
  sql: Sql,
  attempts: readonly Attempt[],
): Promise<Record<string, number>> {
  const answered = (kind: string, status: number) =>
    attempts.filter((attempt) => attempt.kind === kind && attempt.status === status).length;
  const [counts] = await sql<
    { scheduleRuns: bigint; collected: bigint; reversed: bigint; returnedAfterSettling: bigint }[]
  >`
    SELECT (SELECT count(*) FROM payment_schedule_runs) AS schedule_runs,
      (SELECT count(*) FROM debit_orders WHERE status IN ('collected', 'reversed')) AS collected,
      (SELECT count(*) FROM debit_orders WHERE status = 'reversed') AS reversed,
      (SELECT count(*) FROM payments WHERE status = 'returned' AND settled_at IS NOT NULL)
        AS returned_after_settling`;
  const covered = {
    batches: answered("batch", 201),
    atomicBatchesRefused: answered("batch", 422),
    bulkPayments: answered("bulk", 201),
    payments: answered("payment", 201),
    returns: answered("return", 200),
    schedules: answered("schedule", 201),
    debitOrders: answered("debit_order", 201),
    disputes: answered("dispute", 200),
    scheduleRuns: Number(counts.scheduleRuns),
    collected: Number(counts.collected),
    reversed: Number(counts.reversed),
    returnedAfterSettling: Number(counts.returnedAfterSettling),
  };
  for (const [what, count] of Object.entries(covered)) {
    assert.ok(count > 0, `the chaos mix made ${what}: ${JSON.stringify(covered)}`);
  }
  return covered;
}
