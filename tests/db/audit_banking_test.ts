/**
 * The audit reconciles the banking kinds: a bank that made batches, returns after settlement,
 * debit orders with their reversals and standing orders through the API audits clean, and a
 * hand-corrupted row of each is reported by its own check.
 */
import assert from "node:assert/strict";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import type { Queryable, Sql, Tx } from "../../db/client.ts";
import { localDate } from "../../domain/business_days.ts";
import { addDays } from "../../domain/public_holidays.ts";
import { appOver, bankTest } from "../support/app.ts";
import { withIsolatedDatabase } from "../support/database.ts";
import { call, type Customer, fundedAccount, openAccount, signUp } from "../support/client.ts";
import { advanceClock, counterparty } from "../support/payments.ts";

type Json = Record<string, unknown>;
const DAY_SECONDS = 86_400;

function answered(reply: { status: number; body: unknown }, status = 201): Json {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  return reply.body as Json;
}

/**
 * A bank that used every banking kind over the API: two transfer batches (one refused whole), a
 * bulk payment, an instant payment settled then returned MD06, a debit order collected then
 * disputed, and a weekly standing order that ran twice.
 */
async function bankWithBankingKinds(sql: Sql) {
  const { app, config } = appOver(sql);
  const customer = await signUp(app);
  const a = await fundedAccount(app, customer, "1000");
  const b = await openAccount(app, customer);
  const post = (path: string, body: Json) =>
    call(app, "POST", path, { token: customer.token, body });
  const item = (amount: string) => ({ from_account_id: a.id, to_account_id: b.id, amount });
  const posted = answered(
    await post("/transactions/batch", { atomic: false, items: [item("10"), item("5000")] }),
  );
  const refused = answered(
    await post("/transactions/batch", { atomic: true, items: [item("1"), item("5000")] }),
    422,
  );
  const payment = (amount: string) => ({
    from_account_id: a.id,
    amount,
    counterparty: counterparty(),
  });
  answered(await post("/payments/bulk", { atomic: true, items: [payment("3"), payment("4")] }));
  const paid = answered(await post("/payments", payment("20")));
  const start = addDays(localDate(new Date(), config.clearingCalendar.timeZone), 1);
  const schedule = answered(
    await post("/payment_schedules", {
      ...payment("2"),
      interval: "weekly",
      start_date: start,
      count: 5,
    }),
  );
  const order = answered(
    await post("/simulations/debit_orders", {
      account_number: a.account_number,
      amount: "15",
      creditor: { name: "Gym Co", reference: "M-1" },
    }),
  );
  assert.equal((await advanceClock(app, customer, 10 * DAY_SECONDS)).status, 200);
  answered(
    await post(`/simulations/payments/${paid.id}/return`, {
      reason: "refund_requested",
      code: "MD06",
    }),
    200,
  );
  answered(await post(`/debit_orders/${order.id}/dispute`, {}), 200);
  return { customer, posted, refused, paid, schedule, order };
}

async function findingsOf(sql: Queryable, check: string): Promise<string[]> {
  const report = await auditDatabase(sql, { realNow: new Date() });
  return report.findings.filter((finding) => finding.check === check).map((finding) =>
    `${finding.subject}: ${finding.actual}`
  );
}

async function assertClean(sql: Sql, customer: Customer) {
  const report = await auditDatabase(sql, { realNow: new Date() });
  assert.deepEqual(report.findings, [], formatAuditReport(report));
  assert.equal(report.batches, 3);
  const [counts] = await sql<{ runs: bigint; reversed: bigint; returned: bigint }[]>`
    SELECT (SELECT count(*) FROM payment_schedule_runs) AS runs,
      (SELECT count(*) FROM debit_orders WHERE status = 'reversed') AS reversed,
      (SELECT count(*) FROM payments WHERE status = 'returned' AND settled_at IS NOT NULL)
        AS returned`;
  assert.deepEqual(counts, { runs: 2n, reversed: 1n, returned: 1n }, customer.id);
}

const UNDO = new Error("undo the damage");

/**
 * Damages the bank inside a transaction, reads the audit there (it opens no transaction of its
 * own on one), and rolls it all back: the next step audits the bank as it was built.
 */
async function withDamage(sql: Sql, damage: (tx: Tx) => Promise<void>): Promise<void> {
  try {
    await sql.begin(async (tx) => {
      await damage(tx);
      throw UNDO;
    });
  } catch (error) {
    if (error !== UNDO) throw error;
  }
}

type Bank = Awaited<ReturnType<typeof bankWithBankingKinds>>;

/** Each check's damage to the bank and what the audit must then report. */
const DAMAGE: [string, (tx: Tx, bank: Bank) => Promise<void>][] = [
  [
    "the audit reports a batch whose counts disagree with its items' rows",
    async (tx, { posted }) => {
      await tx`UPDATE batches SET approved = 2, rejected = 0 WHERE id = ${String(posted.id)}`;
      assert.deepEqual(await findingsOf(tx, "batch_matches_its_items"), [
        `batch ${posted.id}: item rows (1 approved, 1 rejected) disagree with its counts`,
      ]);
    },
  ],
  ["the audit reports a row claimed by a batch it does not belong to", async (tx, { refused }) => {
    // A refused row of another kind slipped into the refused atomic batch.
    await tx`
      INSERT INTO transactions (type, from_account_id, amount, currency, status, reason,
        from_balance_after, initiated_by, created_at, batch_id)
      SELECT 'withdraw', from_account_id, 1, currency, 'rejected', 'insufficient_funds',
        from_balance_after, initiated_by, created_at, batch_id
      FROM transactions WHERE batch_id = ${String(refused.id)} LIMIT 1`;
    await tx`UPDATE batches SET rejected = rejected + 1, items = items + 1
      WHERE id = ${String(refused.id)}`;
    const found = await findingsOf(tx, "batch_matches_its_items");
    assert.deepEqual(found, [`batch ${refused.id}: an item row of another kind or user`]);
  }],
  [
    "the audit reports a batch whose batch.completed event says otherwise",
    async (tx, { refused }) => {
      await tx`
      UPDATE events SET data = jsonb_set(data, '{object,status}', '"posted"')
      WHERE type = 'batch.completed' AND data -> 'object' ->> 'id' = ${String(refused.id)}`;
      assert.deepEqual(await findingsOf(tx, "batch_matches_its_items"), [
        `batch ${refused.id}: its batch.completed event missing or different`,
      ]);
    },
  ],
  [
    "the audit reports a return after settlement outside the return window",
    async (tx, { paid }) => {
      await tx`UPDATE payments SET settled_at = returned_at - interval '61 days'
      WHERE id = ${String(paid.id)}`;
      assert.deepEqual(await findingsOf(tx, "payment_returned_in_window"), [
        `payment ${paid.id}: returned after its return window closed`,
      ]);
      // A configured window wider than the gap accepts it.
      const wide = await auditDatabase(tx, { realNow: new Date(), returnWindowDays: 90 });
      assert.deepEqual(wide.findings.filter((f) => f.check === "payment_returned_in_window"), []);
    },
  ],
  ["the audit reports a returned payment whose credit is dated otherwise", async (tx, { paid }) => {
    await tx`UPDATE payments SET returned_at = returned_at + interval '1 day'
      WHERE id = ${String(paid.id)}`;
    assert.deepEqual(await findingsOf(tx, "payment_returned_in_window"), [
      `payment ${paid.id}: its return entry is not dated when it returned`,
    ]);
  }],
  ["the audit reports a debit order reversed outside its dispute window", async (tx, { order }) => {
    await tx`UPDATE debit_orders SET reversed_at = collected_at + interval '41 days'
      WHERE id = ${String(order.id)}`;
    assert.deepEqual(await findingsOf(tx, "debit_order_dated_in_window"), [
      `debit order ${order.id}: reversed after its dispute window closed`,
    ]);
    await tx`UPDATE debit_orders SET reversed_at = collected_at - interval '1 hour'
      WHERE id = ${String(order.id)}`;
    assert.deepEqual(await findingsOf(tx, "debit_order_dated_in_window"), [
      `debit order ${order.id}: reversed before it was collected`,
    ]);
    await tx`UPDATE debit_orders SET collected_at = collected_at + interval '1 day',
      reversed_at = collected_at + interval '2 days' WHERE id = ${String(order.id)}`;
    assert.deepEqual(await findingsOf(tx, "debit_order_dated_in_window"), [
      `debit order ${order.id}: its collection entry is not dated when it was collected`,
    ]);
  }],
  ["the audit reports a standing order whose runs disagree with it", async (tx, { schedule }) => {
    await tx`UPDATE payment_schedules SET runs_made = 3 WHERE id = ${String(schedule.id)}`;
    assert.deepEqual(await findingsOf(tx, "schedule_runs_are_its_payments"), [
      `payment schedule ${schedule.id}: runs_made 3 but 2 runs recorded`,
    ]);
    await tx`UPDATE payment_schedules SET runs_made = 2 WHERE id = ${String(schedule.id)}`;
    await tx`
      UPDATE payments SET counterparty = jsonb_set(counterparty, '{name}', '"Someone Else"')
      WHERE id = (SELECT payment_id FROM payment_schedule_runs
                  WHERE schedule_id = ${String(schedule.id)} AND run_number = 2)`;
    assert.deepEqual(await findingsOf(tx, "schedule_runs_are_its_payments"), [
      `payment schedule ${schedule.id}: run 2 is not a payment of the schedule`,
    ]);
  }],
];

// The audit sees the whole database, so the bank lives in one of its own. Building it is most of
// the work, so every check damages the one bank and rolls its damage back, where each used to
// build a bank of its own in a database started anew: eight embedded databases and 14.6 s of
// CPU for this file then, one and 4.2 s now.
bankTest("the audit reconciles the banking kinds and reports each kind's damage", async (t) => {
  await withIsolatedDatabase(async (sql) => {
    const bank = await bankWithBankingKinds(sql);
    await t.step(
      "the audit is clean after batches, returns, debit orders and standing orders",
      () => assertClean(sql, bank.customer),
    );
    for (const [name, damage] of DAMAGE) {
      await t.step(name, () => withDamage(sql, (tx) => damage(tx, bank)));
    }
    await t.step("every damage was rolled back", () => assertClean(sql, bank.customer));
  });
});
