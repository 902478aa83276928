/** Balance history for the charts: read from the ledger's balance-after columns. */
import assert from "node:assert/strict";
import { accountBalanceHistory, totalBalanceHistory } from "../../db/balance_history.ts";
import { bankTest, testApp } from "../support/app.ts";
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
