import assert from "node:assert/strict";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { bankTest, testApp } from "../support/app.ts";
import { call, openAccount, signUp } from "../support/client.ts";

bankTest("POST /accounts opens a ZAR account with zero balance by default", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/accounts", { token: customer.token });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.currency, "ZAR");
  assert.equal(reply.body.balance, "0.00");
  assert.equal(reply.body.available_balance, "0.00");
  assert.equal(reply.body.user_id, customer.id);
  assert.ok(isValidAccountNumber(String(reply.body.account_number)));
  assert.ok(reply.body.created_at && reply.body.updated_at);
});

bankTest("POST /accounts opens an account in another supported currency", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const jpy = await openAccount(app, customer, "JPY");
  assert.equal(jpy.currency, "JPY");
  assert.equal(jpy.balance, "0");
});

bankTest("POST /accounts refuses an unsupported currency with 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const currency of ["XXX", "zar", "", 710, null]) {
    const reply = await call(app, "POST", "/accounts", {
      token: customer.token,
      body: { currency },
    });
    assert.equal(reply.status, 400, String(currency));
  }
});

bankTest(
  "POST /accounts refuses fields a client may not set (balance, user_id) with a 400 naming them",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const other = await signUp(app);
    const reply = await call<{ errors: Record<string, string[]> }>(app, "POST", "/accounts", {
      token: customer.token,
      body: { currency: "ZAR", balance: "1000000.00", user_id: other.id },
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(Object.keys(reply.body.errors).sort(), ["balance", "user_id"]);
    const listed = await call<{ data: unknown[] }>(app, "GET", "/accounts", {
      token: customer.token,
    });
    assert.deepEqual(listed.body.data, [], "no account was opened");
  },
);

bankTest("GET /accounts lists only your own accounts", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const other = await signUp(app);
  const mine = [await openAccount(app, customer), await openAccount(app, customer, "USD")];
  await openAccount(app, other);
  const reply = await call<{ data: { id: string }[] }>(app, "GET", "/accounts", {
    token: customer.token,
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.data.map((account) => account.id), mine.map((account) => account.id));
});

bankTest("account numbers are unique across many accounts", async () => {
  const { app } = await testApp();
  const numbers = new Set<string>();
  // Two customers: one may hold at most ACCOUNTS_PER_USER_MAX (20) accounts.
  for (const customer of [await signUp(app), await signUp(app)]) {
    for (let i = 0; i < 13; i++) numbers.add((await openAccount(app, customer)).account_number);
  }
  assert.equal(numbers.size, 26);
});

bankTest(
  "POST /accounts with the same Idempotency-Key twice opens one account and replays it",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await call(app, "POST", "/accounts", {
      token: customer.token,
      body: { currency: "USD" },
      headers,
    });
    const again = await call(app, "POST", "/accounts", {
      token: customer.token,
      body: { currency: "USD" },
      headers,
    });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    const other = await call(app, "POST", "/accounts", {
      token: customer.token,
      body: { currency: "EUR" },
      headers,
    });
    assert.equal(other.status, 422);
    assert.equal(other.body.code, "idempotency_key_reused");
    const list = await call<{ data: unknown[] }>(app, "GET", "/accounts", {
      token: customer.token,
    });
    assert.equal(list.body.data.length, 1);
  },
);
