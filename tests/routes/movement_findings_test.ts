/**
 * What the one movement pipeline fixed, through the API (issue #13's findings 3 to 5): one
 * business time for both sides, fraud screening on every outflow, every refusal on the ledger.
 */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";
import type { Requestable } from "../support/client.ts";
import { advanceClock, placeHold } from "../support/payments.ts";

const YEAR_SECONDS = 31_536_000;

async function ledgerOf(app: Requestable, customer: Customer, accountId: string) {
  const reply = await call<
    { data: { id: string; type: string; status: string; created_at: string }[] }
  >(
    app,
    "GET",
    `/transactions?account_id=${accountId}`,
    { token: customer.token },
  );
  return reply.body.data;
}

bankTest(
  "a transfer to an owner whose clock reads another time is refused clock_mismatch and recorded",
  async () => {
    const { app } = await testApp();
    const alice = await signUp(app);
    const bob = await signUp(app);
    const from = await fundedAccount(app, alice, "100");
    const to = await openAccount(app, bob);
    await advanceClock(app, alice, YEAR_SECONDS);
    const reply = await transfer(app, alice, {
      from_account_id: from.id,
      to_account_number: to.account_number,
      amount: "25",
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "clock_mismatch");
    assert.match(String(reply.body.detail), /join/);
    const recorded = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
      token: alice.token,
    });
    assert.deepEqual([recorded.body.status, recorded.body.reason], ["rejected", "clock_mismatch"]);
    // Bob's ledger gains no row dated next year, and his balance and statement agree.
    assert.deepEqual(await ledgerOf(app, bob, to.id), []);
    assert.equal(await balanceOf(app, bob, to.id), "0.00");
    assert.equal(await balanceOf(app, alice, from.id), "100.00");
  },
);

bankTest("once both owners share a clock the same transfer goes through", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const bob = await signUp(app);
  const from = await fundedAccount(app, alice, "100");
  const to = await openAccount(app, bob);
  await advanceClock(app, alice, YEAR_SECONDS);
  const clock = await call(app, "GET", "/simulations/clock", { token: alice.token });
  const joined = await call(app, "POST", "/simulations/clock/join", {
    token: bob.token,
    body: { clock_id: clock.body.id },
  });
  assert.equal(joined.status, 200);
  const reply = await transfer(app, alice, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "25",
  });
  assert.equal(reply.status, 201);
  const [row] = await ledgerOf(app, bob, to.id);
  assert.equal(row.created_at, reply.body.created_at, "one business time on both sides");
  assert.ok(Date.parse(row.created_at) > Date.now() + (YEAR_SECONDS - 60) * 1000);
  assert.equal(await balanceOf(app, bob, to.id), "25.00");
});

bankTest(
  "a withdrawal above the amount limit is refused by the fraud rules and recorded",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "300000");
    const reply = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "200000.00" },
    });
    assert.equal(reply.status, 422);
    assert.deepEqual([reply.body.code, reply.body.reason], ["fraud_rejected", "amount_limit"]);
    assert.ok(reply.body.transaction_id);
    assert.equal(await balanceOf(app, customer, account.id), "300000.00");
  },
);

bankTest(
  "a hold above the amount limit is refused, so no capture can move that money out",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "300000");
    const reply = await placeHold(app, customer, account.id, { amount: "160000" });
    assert.equal(reply.status, 422);
    assert.deepEqual([reply.body.code, reply.body.reason], ["fraud_rejected", "amount_limit"]);
    const holds = await call<{ data: unknown[] }>(app, "GET", `/holds?account_id=${account.id}`, {
      token: customer.token,
    });
    assert.deepEqual(holds.body.data, []);
  },
);

bankTest(
  "a refused hold answers 422 with the transaction_id of its recorded hold row",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "50");
    const reply = await placeHold(app, customer, account.id, { amount: "60" });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "insufficient_funds");
    const id = reply.body.transaction_id;
    assert.equal(typeof id, "string");
    const row = await call(app, "GET", `/transactions/${id}`, { token: customer.token });
    assert.deepEqual(
      [row.body.type, row.body.status, row.body.reason, row.body.amount, row.body.from_account_id],
      ["hold", "rejected", "insufficient_funds", "60.00", account.id],
    );
    assert.equal(await balanceOf(app, customer, account.id), "50.00");
  },
);

bankTest(
  "a capture above the hold is a recorded refusal: 422 with its transaction_id",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "500");
    const hold = await placeHold(app, customer, account.id, { amount: "200" });
    const reply = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
      token: customer.token,
      body: { amount: "200.01" },
    });
    assert.equal(reply.status, 422);
    const row = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
      token: customer.token,
    });
    assert.deepEqual([row.body.type, row.body.status, row.body.reason], [
      "hold_capture",
      "rejected",
      "capture_exceeds_hold",
    ]);
    const again = await call(app, "GET", `/holds/${hold.body.id}`, { token: customer.token });
    assert.equal(again.body.status, "active");
  },
);
