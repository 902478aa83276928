/** The fraud facts a transfer reads from the ledger: only what its rules need, and no more rows. */
import assert from "node:assert/strict";
import { readFacts } from "../../db/facts.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { bankTest, testApp } from "../support/app.ts";
import { fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";

async function accountWithOutflows(count: number) {
  const { app, sql } = await testApp({ env: { FRAUD_MAX_TRANSFERS: "100" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  for (let i = 0; i < count; i++) {
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    assert.equal(reply.status, 201);
  }
  return { sql, customer, from, to };
}

bankTest("the velocity count stops at the limit it is compared with", async () => {
  const { sql, customer, from, to } = await accountWithOutflows(8);
  const rules = createFraudRules({
    maxTransferAmount: "150000",
    maxTransfers: 5,
    windowSeconds: 60,
  });
  const facts = await sql.begin(async (tx) => {
    const { perCommand: [read] } = await readFacts(tx, [{
      kind: "transfer",
      userId: customer.id,
      fromAccountId: from.id,
      toAccountId: to.id,
      amount: "1",
      description: null,
      realNow: new Date(),
    }], { rules });
    return {
      fraud: { recentOutflowCount: Number(read.recentCount), outflowLast24hMinor: read.outflow24h },
    };
  });
  assert.equal(facts.fraud.recentOutflowCount, 5);
  assert.equal(facts.fraud.outflowLast24hMinor, 0n, "no daily rule: the 24-hour sum is not read");
});

bankTest("with the daily rule on, the 24-hour outflow is summed", async () => {
  const { sql, customer, from, to } = await accountWithOutflows(3);
  const rules = createFraudRules({
    maxTransferAmount: "150000",
    maxTransfers: 5,
    windowSeconds: 60,
    dailyOutflowLimit: "1000",
  });
  const facts = await sql.begin(async (tx) => {
    const { perCommand: [read] } = await readFacts(tx, [{
      kind: "transfer",
      userId: customer.id,
      fromAccountId: from.id,
      toAccountId: to.id,
      amount: "1",
      description: null,
      realNow: new Date(),
    }], { rules });
    return {
      fraud: { recentOutflowCount: Number(read.recentCount), outflowLast24hMinor: read.outflow24h },
    };
  });
  assert.equal(facts.fraud.recentOutflowCount, 3);
  assert.equal(facts.fraud.outflowLast24hMinor, 300n);
});
