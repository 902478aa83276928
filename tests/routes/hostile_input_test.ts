/** Inputs found by review that once slipped through: each must be a 4xx, never a 500. */
import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { sameDecimal } from "../../routes/exact_json_numbers.ts";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";
import { counterparty } from "../support/payments.ts";

Deno.test("sameDecimal compares numerals by exact value", () => {
  assert.ok(sameDecimal("500.50", "500.5"));
  assert.ok(sameDecimal("1E2", "100"));
  assert.ok(sameDecimal("0.000", "0"));
  assert.ok(!sameDecimal("100.0099999999999999", "100.01"));
  assert.ok(!sameDecimal("1.0000000000000001", "1"));
  assert.ok(!sameDecimal("9007199254740993", "9007199254740992"));
});

bankTest("a JSON number a double cannot carry exactly answers 400 and moves nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (const raw of ['{"amount": 100.0099999999999999}', '{"amount": 1.0000000000000001}']) {
    const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      raw,
    });
    assert.equal(reply.status, 400, raw);
    assert.ok((reply.body.errors as Record<string, unknown>).amount, raw);
  }
  const exact = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    raw: '{"amount": 100.50}',
  });
  assert.equal(exact.status, 201);
  assert.equal(await balanceOf(app, customer, account.id), "100.50");
});

bankTest("a NUL character in any text field answers 400, never 500", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const deposit = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    body: { amount: "1", description: "a\u0000b" },
  });
  assert.equal(deposit.status, 400);
  const register = await call(app, "POST", "/auth/register", {
    body: {
      name: "x\u0000y",
      email: `n-${crypto.randomUUID()}@example.test`,
      password: "long enough pw",
    },
  });
  assert.equal(register.status, 400);
  const login = await call(app, "POST", "/auth/login", {
    body: { email: "a\u0000@b.c", password: "pw" },
  });
  assert.equal(login.status, 400);
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest("a lone UTF-16 surrogate in a description answers 400 and moves nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "10");
  const to = await openAccount(app, customer);
  for (const description of ["\ud800", "a\udfffb", "\udc00\ud800"]) {
    const reply = await call(app, "POST", "/transactions/transfer", {
      token: customer.token,
      body: { from_account_id: from.id, to_account_id: to.id, amount: "1", description },
    });
    assert.equal(reply.status, 400, JSON.stringify(description));
  }
  const paired = await call(app, "POST", "/transactions/transfer", {
    token: customer.token,
    body: { from_account_id: from.id, to_account_id: to.id, amount: "1", description: "\u{1F4B8}" },
  });
  assert.equal(paired.status, 201, "a surrogate pair (an emoji) is text like any other");
  const payment = await call(app, "POST", "/payments", {
    token: customer.token,
    body: {
      from_account_id: from.id,
      amount: "1",
      counterparty: { ...counterparty(), name: "Acme \ud800" },
    },
  });
  assert.equal(payment.status, 400, "a counterparty's name is text too");
  assert.equal(await balanceOf(app, customer, from.id), "9.00");
});

bankTest("a cursor beyond the ledger's range answers 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const cursor = btoa("s:9999999999999999999").replaceAll("=", "");
  const reply = await call(app, "GET", `/transactions?cursor=${cursor}`, { token: customer.token });
  assert.equal(reply.status, 400);
});

bankTest(
  "the bearer scheme is accepted in any letter case, as login's token_type says",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const reply = await app.request("/users/me", {
      headers: { authorization: `bearer ${customer.token}` },
    });
    assert.equal(reply.status, 200);
  },
);

bankTest("a valid token for a user this bank does not know answers 401, never 500", async () => {
  const { app, config } = await testApp();
  const now = Math.floor(Date.now() / 1000);
  for (const sub of [crypto.randomUUID(), "x"]) {
    const claims = { sub, sid: crypto.randomUUID(), gen: 0, auth_time: now, iat: now };
    const token = await sign({ ...claims, exp: now + 600 }, config.jwtSecret, "HS256");
    const open = await call(app, "POST", "/accounts", { token });
    assert.equal(open.status, 401, `POST /accounts as ${sub}`);
    const list = await call(app, "GET", "/accounts", { token });
    assert.ok(
      list.status === 401 || (list.status === 200 && sub !== "x"),
      `GET /accounts as ${sub}`,
    );
  }
});

bankTest("ids are accepted in upper case and name the same objects", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "10");
  const to = await openAccount(app, customer);
  const reply = await transfer(app, customer, {
    from_account_id: from.id.toUpperCase(),
    to_account_id: to.id.toUpperCase(),
    amount: "1",
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.from_account_id, from.id);
  const me = await call(app, "GET", `/users/${customer.id.toUpperCase()}`, {
    token: customer.token,
  });
  assert.equal(me.status, 200);
});

bankTest(
  "a transfer that would push the receiver past the balance cap is refused with balance_limit",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "10");
    const to = await openAccount(app, customer);
    // Reaching the cap through the API would take thousands of deposits; set it as the ledger would.
    await sql`
    WITH entry AS (
      INSERT INTO transactions (type, to_account_id, amount, currency, status, to_balance_after,
                                initiated_by, created_at)
      VALUES ('deposit', ${to.id}, ${10n ** 17n}, 'ZAR', 'approved', ${
      10n ** 17n
    }, ${customer.id}, now())
    )
    UPDATE accounts SET balance = ${10n ** 17n} WHERE id = ${to.id}`;
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "balance_limit");
    assert.equal(await balanceOf(app, customer, from.id), "10.00");
  },
);

bankTest("a fraud limit with cents still works for a currency without minor units", async () => {
  // 150000.50 ZAR at the sandbox's 8.47 JPY per ZAR is 1270504.235 yen: the limit is 1270504.
  const { app } = await testApp({ env: { FRAUD_MAX_TRANSFER_AMOUNT: "150000.50" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "2600000", "JPY");
  const to = await openAccount(app, customer, "JPY");
  const ok = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "1270504",
  });
  assert.equal(ok.status, 201);
  const over = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "1270505",
  });
  assert.equal(over.body.reason, "amount_limit");
});

bankTest("a retry that gave up under contention says when to retry", async () => {
  const { errorToResponse } = await import("../../routes/problem.ts");
  const { UnavailableError } = await import("../../domain/errors.ts");
  const response = errorToResponse(new UnavailableError(), () => {}, new Request("http://x/"));
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "1");
});
