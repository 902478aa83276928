/** The clearing worker: exactly-once processing, however many instances run. */
import assert from "node:assert/strict";
import { processDue } from "../../db/clearing.ts";
import { bankTest, testApp } from "../support/app.ts";
import { balanceOf, fundedAccount, signUp } from "../support/client.ts";
import { connectTestDatabase, onRealPostgres, testDatabase } from "../support/database.ts";
import { getPayment, sendPayment } from "../support/payments.ts";

bankTest("returns are credited exactly once when two workers run at the same time", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const payments = [];
  for (const number of ["9999000001", "9999000002", "9999000003", "9999000004", "62001234567"]) {
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "100",
      counterpartyNumber: number,
    });
    payments.push(sent.body.id);
  }
  assert.equal(await balanceOf(app, customer, account.id), "500.00");
  // Two workers with pools of their own, as two instances of the app would have.
  const { url } = await testDatabase();
  const pools = onRealPostgres()
    ? [connectTestDatabase(url, { max: 2 }), connectTestDatabase(url, { max: 2 })]
    : [sql, sql];
  const later = new Date(Date.now() + 120_000);
  try {
    const runs = await Promise.all(pools.map((pool) => processDue(pool, { realNow: later })));
    const mine = await sql<{ count: bigint }[]>`
      SELECT count(*) FROM transactions
      WHERE to_account_id = ${account.id} AND type = 'payment_return'`;
    assert.equal(mine[0].count, 4n);
    assert.ok(runs.reduce((sum, run) => sum + run.payments, 0) >= 5);
  } finally {
    if (onRealPostgres()) await Promise.all(pools.map((pool) => pool.end()));
  }
  assert.equal(await balanceOf(app, customer, account.id), "900.00");
  const statuses = await Promise.all(payments.map((id) => getPayment(app, customer, id)));
  assert.deepEqual(statuses.map((p) => p.status), [
    "returned",
    "returned",
    "returned",
    "returned",
    "settled",
  ]);
});

bankTest("a worker run twice in a row finds nothing more to do", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "10",
    counterpartyNumber: "9999000001",
  });
  const later = new Date(Date.now() + 120_000);
  await processDue(sql, { realNow: later, userId: customer.id });
  const again = await processDue(sql, { realNow: later, userId: customer.id });
  assert.deepEqual(again, { payments: 0, holds: 0, schedules: 0, debitOrders: 0 });
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("the worker leaves payments that are not yet due on their owner's clock", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "10" });
  await processDue(sql, { realNow: new Date(Date.now() + 30_000), userId: customer.id });
  assert.equal((await getPayment(app, customer, sent.body.id)).status, "pending");
});
