/** Bank-to-bank payments through the simulated clearing network, end to end over HTTP. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { balanceOf, call, fundedAccount, openAccount, signUp } from "../support/client.ts";
import { advanceClock, getPayment, sendPayment } from "../support/payments.ts";

bankTest("POST /payments debits at once and answers 201 with a pending payment", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const reply = await sendPayment(app, customer, { from_account_id: account.id, amount: "250" });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.status, "pending");
  assert.equal(reply.body.direction, "outbound");
  assert.equal(reply.body.amount, "250.00");
  assert.equal(await balanceOf(app, customer, account.id), "750.00");
  const debit = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
    token: customer.token,
  });
  assert.equal(debit.body.type, "payment_out");
  assert.equal(debit.body.status, "approved");
});

bankTest(
  "an outbound payment settles after the settlement period on the user's clock",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "250" });
    await advanceClock(app, customer, 59);
    assert.equal((await getPayment(app, customer, sent.body.id)).status, "pending");
    await advanceClock(app, customer, 1);
    const settled = await getPayment(app, customer, sent.body.id);
    assert.equal(settled.status, "settled");
    assert.equal(settled.settled_at, sent.body.settles_at);
    assert.equal(await balanceOf(app, customer, account.id), "750.00");
  },
);

for (
  const [number, reason] of [
    ["9999000001", "account_closed"],
    ["9999000002", "no_account"],
    ["9999000003", "insufficient_funds"],
    ["9999000004", "authorization_revoked"],
  ]
) {
  bankTest(`a payment to ${number} is returned with ${reason} and credited back`, async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "300",
      counterpartyNumber: number,
    });
    assert.equal(sent.status, 201);
    assert.equal(await balanceOf(app, customer, account.id), "700.00");
    await advanceClock(app, customer, 60);
    const returned = await getPayment(app, customer, sent.body.id);
    assert.equal(returned.status, "returned");
    assert.equal(returned.return_reason, reason);
    assert.equal(await balanceOf(app, customer, account.id), "1000.00");
    const credit = await call(app, "GET", `/transactions/${returned.return_transaction_id}`, {
      token: customer.token,
    });
    assert.equal(credit.body.type, "payment_return");
    assert.equal(credit.body.amount, "300.00");
    assert.equal(credit.body.to_account_id, account.id);
  });
}

bankTest("a payment to 9999000009 stays pending until a simulation settles it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "100",
    counterpartyNumber: "9999000009",
  });
  await advanceClock(app, customer, 86_400);
  assert.equal((await getPayment(app, customer, sent.body.id)).status, "pending");
  const settled = await call(app, "POST", `/simulations/payments/${sent.body.id}/settle`, {
    token: customer.token,
  });
  assert.equal(settled.status, 200);
  assert.equal(settled.body.status, "settled");
  assert.equal(await balanceOf(app, customer, account.id), "900.00");
});

bankTest("a payment to 9999000009 stays pending until a simulation returns it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "100",
    counterpartyNumber: "9999000009",
  });
  await advanceClock(app, customer, 3_600);
  const returned = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
    token: customer.token,
    body: { reason: "no_account" },
  });
  assert.equal(returned.status, 200);
  assert.equal(returned.body.status, "returned");
  assert.equal(returned.body.return_reason, "no_account");
  assert.equal(await balanceOf(app, customer, account.id), "1000.00");
});

bankTest("settling a settled payment, or returning a returned one, is a 409", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "100" });
  const path = `/simulations/payments/${sent.body.id}`;
  await call(app, "POST", `${path}/settle`, { token: customer.token });
  const settleAgain = await call(app, "POST", `${path}/settle`, { token: customer.token });
  assert.equal(settleAgain.status, 409);
  assert.equal(settleAgain.body.code, "payment_not_pending");
  // A settled outbound payment may still be returned (payment rails); once returned, no more.
  const body = { reason: "refund_requested" };
  const first = await call(app, "POST", `${path}/return`, { token: customer.token, body });
  assert.equal(first.status, 200);
  const again = await call(app, "POST", `${path}/return`, { token: customer.token, body });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "payment_not_pending");
  assert.equal(await balanceOf(app, customer, account.id), "1000.00");
});

bankTest("a return with an unknown reason is a 400 and changes nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "100",
    counterpartyNumber: "9999000009",
  });
  const reply = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
    token: customer.token,
    body: { reason: "because" },
  });
  assert.equal(reply.status, 400);
  assert.equal((await getPayment(app, customer, sent.body.id)).status, "pending");
});

bankTest(
  "a payment beyond the balance answers 422 with its transaction and a rejected payment",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "50");
    const reply = await sendPayment(app, customer, { from_account_id: account.id, amount: "100" });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "insufficient_funds");
    assert.equal(typeof reply.body.transaction_id, "string");
    const payment = await getPayment(app, customer, String(reply.body.payment_id));
    assert.equal(payment.status, "rejected");
    assert.equal(payment.transaction_id, reply.body.transaction_id);
    const entry = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
      token: customer.token,
    });
    assert.equal(entry.body.status, "rejected");
    assert.equal(entry.body.type, "payment_out");
    assert.equal(await balanceOf(app, customer, account.id), "50.00");
  },
);

bankTest("a payment above the fraud amount limit is rejected as fraud_rejected", async () => {
  const { app } = await testApp({ env: { FRAUD_MAX_TRANSFER_AMOUNT: "100" } });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const reply = await sendPayment(app, customer, { from_account_id: account.id, amount: "100.01" });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "fraud_rejected");
  assert.equal(reply.body.reason, "amount_limit");
  assert.equal(await balanceOf(app, customer, account.id), "1000.00");
});

bankTest(
  "POST /payments with the same Idempotency-Key pays once and replays the answer",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await sendPayment(
      app,
      customer,
      { from_account_id: account.id, amount: "10" },
      headers,
    );
    const second = await sendPayment(
      app,
      customer,
      { from_account_id: account.id, amount: "10" },
      headers,
    );
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.equal(second.body.id, first.body.id);
    assert.equal(await balanceOf(app, customer, account.id), "990.00");
  },
);

bankTest("POST /payments with a malformed counterparty is a 400 and records nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  for (
    const bad of [
      { name: "", bank_code: "250655", account_number: "62001234567" },
      { name: "A", bank_code: "25 06", account_number: "62001234567" },
      { name: "A", bank_code: "250655", account_number: "62-001" },
      { name: "A", bank_code: "250655" },
    ]
  ) {
    const reply = await call(app, "POST", "/payments", {
      token: customer.token,
      body: { from_account_id: account.id, amount: "1", counterparty: bad },
    });
    assert.equal(reply.status, 400, JSON.stringify(bad));
  }
  const list = await call<{ data: unknown[] }>(app, "GET", "/payments", { token: customer.token });
  assert.equal(list.body.data.length, 0);
  assert.equal(await balanceOf(app, customer, account.id), "1000.00");
});

bankTest("an inbound payment credits the account only when it settles", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const reply = await call(app, "POST", "/simulations/inbound_payments", {
    token: customer.token,
    body: { account_number: account.account_number, amount: "75.50" },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.direction, "inbound");
  assert.equal(reply.body.status, "pending");
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
  await advanceClock(app, customer, 60);
  const settled = await getPayment(app, customer, String(reply.body.id));
  assert.equal(settled.status, "settled");
  assert.equal(await balanceOf(app, customer, account.id), "75.50");
  const credit = await call(app, "GET", `/transactions/${settled.transaction_id}`, {
    token: customer.token,
  });
  assert.equal(credit.body.type, "payment_in");
});

bankTest("an inbound payment from 9999000002 is returned and credits nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const reply = await call(app, "POST", "/simulations/inbound_payments", {
    token: customer.token,
    body: {
      account_number: account.account_number,
      amount: "20",
      counterparty: { name: "Gone", bank_code: "1", account_number: "9999000002" },
    },
  });
  await advanceClock(app, customer, 60);
  const payment = await getPayment(app, customer, String(reply.body.id));
  assert.equal(payment.status, "returned");
  assert.equal(payment.return_reason, "no_account");
  assert.equal(payment.transaction_id, null);
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest("an inbound payment to a malformed account number is a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const accountNumber of ["", "123", "12345678901", "abcdefghij", "4001234560"]) {
    const reply = await call(app, "POST", "/simulations/inbound_payments", {
      token: customer.token,
      body: { account_number: accountNumber, amount: "20" },
    });
    assert.equal(reply.status, 400, accountNumber);
  }
});

bankTest("an inbound payment into another user's account number is a 404", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await openAccount(app, owner);
  const reply = await call(app, "POST", "/simulations/inbound_payments", {
    token: stranger.token,
    body: { account_number: account.account_number, amount: "20" },
  });
  assert.equal(reply.status, 404);
});

bankTest("another user's payment is a 404 to read, settle or return", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await fundedAccount(app, owner, "100");
  const sent = await sendPayment(app, owner, {
    from_account_id: account.id,
    amount: "10",
    counterpartyNumber: "9999000009",
  });
  const read = await call(app, "GET", `/payments/${sent.body.id}`, { token: stranger.token });
  const settle = await call(app, "POST", `/simulations/payments/${sent.body.id}/settle`, {
    token: stranger.token,
  });
  const ret = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
    token: stranger.token,
    body: { reason: "no_account" },
  });
  assert.deepEqual([read.status, settle.status, ret.status], [404, 404, 404]);
  const list = await call<{ data: unknown[] }>(app, "GET", "/payments", { token: stranger.token });
  assert.equal(list.body.data.length, 0);
  assert.equal((await getPayment(app, owner, sent.body.id)).status, "pending");
});

bankTest("sending from another user's account is a 404 and moves nothing", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await fundedAccount(app, owner, "100");
  const reply = await sendPayment(app, stranger, { from_account_id: account.id, amount: "10" });
  assert.equal(reply.status, 404);
  assert.equal(await balanceOf(app, owner, account.id), "100.00");
});

bankTest("GET /payments filters by status and pages newest first", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const ids = [];
  for (const number of ["62001234567", "9999000009", "9999000009"]) {
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "1",
      counterpartyNumber: number,
    });
    ids.push(sent.body.id);
  }
  await advanceClock(app, customer, 60);
  const pending = await call<{ data: { id: string }[]; next_cursor: string | null }>(
    app,
    "GET",
    "/payments?status=pending&limit=1",
    { token: customer.token },
  );
  assert.deepEqual(pending.body.data.map((p) => p.id), [ids[2]]);
  const next = await call<{ data: { id: string }[]; next_cursor: string | null }>(
    app,
    "GET",
    `/payments?status=pending&limit=1&cursor=${pending.body.next_cursor}`,
    { token: customer.token },
  );
  assert.deepEqual(next.body.data.map((p) => p.id), [ids[1]]);
  assert.equal(next.body.next_cursor, null);
});

bankTest("payment events are written for creation, settlement and return", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
  await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "1",
    counterpartyNumber: "9999000001",
  });
  await advanceClock(app, customer, 60);
  const rows = await sql<{ type: string }[]>`
    SELECT type FROM events WHERE user_id = ${customer.id} AND type LIKE 'payment.%'
    ORDER BY seq`;
  assert.deepEqual(rows.map((row) => row.type).sort(), [
    "payment.created",
    "payment.created",
    "payment.returned",
    "payment.settled",
  ]);
});
