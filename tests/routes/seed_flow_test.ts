/** The seed's own cases, end to end through the HTTP API. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  deposit,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";

bankTest("POST /accounts/{id}/deposit of R500 makes the balance 500.00", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const reply = await deposit(app, customer, account.id, "500");
  assert.equal(reply.status, 201);
  assert.equal(reply.body.type, "deposit");
  assert.equal(reply.body.amount, "500.00");
  assert.equal(reply.body.status, "approved");
  assert.equal(await balanceOf(app, customer, account.id), "500.00");
});

bankTest("POST /accounts/{id}/withdraw of R200 from R500 leaves 300.00", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const reply = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: 200 },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.to_account_id, null);
  assert.equal(await balanceOf(app, customer, account.id), "300.00");
});

bankTest("POST /transactions/transfer of R100 updates both accounts", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "300");
  const to = await openAccount(app, customer);
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
  });
  assert.equal(reply.status, 201);
  assert.equal(await balanceOf(app, customer, from.id), "200.00");
  assert.equal(await balanceOf(app, customer, to.id), "100.00");
});

bankTest(
  "a transfer with insufficient funds answers 422, is recorded, and moves nothing",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "50");
    const to = await openAccount(app, customer);
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "100.00",
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.headers.get("content-type"), "application/problem+json");
    assert.equal(reply.body.code, "insufficient_funds");
    assert.equal(typeof reply.body.transaction_id, "string");
    assert.equal(await balanceOf(app, customer, from.id), "50.00");
    assert.equal(await balanceOf(app, customer, to.id), "0.00");
    const recorded = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
      token: customer.token,
    });
    assert.equal(recorded.body.status, "rejected");
    assert.equal(recorded.body.reason, "insufficient_funds");
  },
);
