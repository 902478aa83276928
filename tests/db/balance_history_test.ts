/** Balance history for the charts, and the balance at a moment: one reading of the ledger. */
import assert from "node:assert/strict";
import { accountBalanceHistory, balanceAt, totalBalanceHistory } from "../../db/balance_history.ts";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, deposit, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";

bankTest(
  "accountBalanceHistory is the balance after each approved entry, oldest first",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    await deposit(app, customer, account.id, "50");
    await call(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "500" }, // refused: not a point
    });
    await call(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "30" },
    });
    const points = await accountBalanceHistory(sql, account.id, 10);
    assert.deepEqual(points.map((point) => point.balance), [10000n, 15000n, 12000n]);
    const latest = await accountBalanceHistory(sql, account.id, 2);
    assert.deepEqual(latest.map((point) => point.balance), [15000n, 12000n]);
  },
);

bankTest("totalBalanceHistory sums every account of a currency after each entry", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const other = await signUp(app);
  const cheque = await fundedAccount(app, customer, "100");
  const savings = await openAccount(app, customer);
  const dollars = await fundedAccount(app, customer, "7", "USD");
  const theirs = await openAccount(app, other);
  // Between own accounts the total stays; to someone else it falls.
  await transfer(app, customer, {
    from_account_id: cheque.id,
    to_account_id: savings.id,
    amount: "40",
  });
  await transfer(app, customer, {
    from_account_id: savings.id,
    to_account_id: theirs.id,
    amount: "15",
  });
  await deposit(app, customer, savings.id, "5");
  const series = await totalBalanceHistory(sql, customer.id, 100);
  const byCurrency = Object.fromEntries(
    series.map((s) => [s.currency, s.points.map((p) => p.balance)]),
  );
  assert.deepEqual(byCurrency.ZAR, [10000n, 10000n, 8500n, 9000n]);
  assert.deepEqual(byCurrency.USD, [700n]);
  assert.equal(dollars.currency, "USD");
  const latest = await totalBalanceHistory(sql, customer.id, 2);
  assert.deepEqual(latest.find((s) => s.currency === "ZAR")!.points.map((p) => p.balance), [
    8500n,
    9000n,
  ]);
  const receiver = await totalBalanceHistory(sql, other.id, 100);
  assert.deepEqual(receiver[0].points.map((p) => p.balance), [1500n]);
});

bankTest(
  "the chart's points are the balances balanceAt answers, even when the ledger's order is not time's",
  async () => {
    const clock = manualClock();
    const { app, sql } = await testApp({ clock: clock.now });
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const inbound = await call(app, "POST", "/simulations/inbound_payments", {
      token: customer.token,
      body: {
        account_number: account.account_number,
        amount: "25",
        counterparty: { name: "Employer", bank_code: "250655", account_number: "62001234567" },
      },
    });
    assert.equal(inbound.status, 201);
    // Real time passes the settlement without a job running; a deposit comes first...
    clock.advanceSeconds(120);
    await deposit(app, customer, account.id, "10");
    // ...then the clock's advance settles the payment, dated at its due time, before the deposit.
    await call(app, "POST", "/simulations/clock/advance", {
      token: customer.token,
      body: { seconds: 1 },
    });
    const points = await accountBalanceHistory(sql, account.id, 10);
    assert.deepEqual(points.map((point) => point.balance), [2500n, 3500n]);
    for (const point of points) {
      assert.equal((await balanceAt(sql, account.id, point.at)).balance, point.balance);
    }
  },
);
