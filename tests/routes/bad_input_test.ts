/** Bad input is a 400 problem and never changes a balance. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";

const badAmounts: unknown[] = [
  0,
  "0",
  "0.00",
  -5,
  "-5",
  "1.001",
  "abc",
  "NaN",
  "Infinity",
  "1e400",
  "1e3",
  "",
  true,
  null,
  [],
  {},
  "1; DROP TABLE accounts; --",
  "' OR '1'='1",
  "99999999999999999999999",
];

bankTest("deposits with bad amounts answer 400 and leave the balance alone", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  for (const amount of badAmounts) {
    const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount },
    });
    assert.equal(reply.status, 400, `amount ${JSON.stringify(amount)}`);
    assert.equal(reply.headers.get("content-type"), "application/problem+json");
    assert.ok(reply.body.errors, `errors for ${JSON.stringify(amount)}`);
  }
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("a JSON number too large for a double (1e400) answers 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    raw: '{"amount": 1e400}',
  });
  assert.equal(reply.status, 400);
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("withdrawals and transfers with bad amounts answer 400 and move nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  for (const amount of badAmounts) {
    const withdrawal = await call(app, "POST", `/accounts/${from.id}/withdraw`, {
      token: customer.token,
      body: { amount },
    });
    assert.equal(withdrawal.status, 400, `withdraw ${JSON.stringify(amount)}`);
    const moved = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount,
    });
    assert.equal(moved.status, 400, `transfer ${JSON.stringify(amount)}`);
  }
  assert.equal(await balanceOf(app, customer, from.id), "100.00");
  assert.equal(await balanceOf(app, customer, to.id), "0.00");
  const ledger = await call<{ data: unknown[] }>(app, "GET", "/transactions", {
    token: customer.token,
  });
  assert.equal(ledger.body.data.length, 1, "only the funding deposit is recorded");
});

bankTest("malformed JSON answers 400 malformed_json", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (const raw of ['{"amount":', "not json", '{"amount": "5"}}', "\u0000"]) {
    const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      raw,
    });
    assert.equal(reply.status, 400, raw);
    assert.equal(reply.headers.get("content-type"), "application/problem+json");
  }
});

bankTest("missing fields and wrong types in a transfer answer 400 naming the fields", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "10");
  const cases: [Record<string, unknown>, string][] = [
    [{}, "from_account_id"],
    [{ from_account_id: account.id, amount: "1" }, "to_account_id"],
    [{ from_account_id: 42, to_account_id: account.id, amount: "1" }, "from_account_id"],
    [{ from_account_id: account.id, to_account_id: "nope", amount: "1" }, "to_account_id"],
    [
      { from_account_id: account.id, to_account_number: 1234567890, amount: "1" },
      "to_account_number",
    ],
    [
      { from_account_id: account.id, to_account_id: account.id, amount: "1", description: 7 },
      "description",
    ],
    [{
      from_account_id: account.id,
      to_account_id: account.id,
      amount: "1",
      description: "x".repeat(501),
    }, "description"],
  ];
  for (const [body, field] of cases) {
    const reply = await transfer(app, customer, body);
    assert.equal(reply.status, 400, JSON.stringify(body).slice(0, 80));
    assert.ok(
      (reply.body.errors as Record<string, unknown>)[field],
      `${field} in ${JSON.stringify(reply.body.errors)}`,
    );
  }
  assert.equal(await balanceOf(app, customer, account.id), "10.00");
});

bankTest("a transfer naming both to_account_id and to_account_number answers 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "10");
  const to = await openAccount(app, customer);
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    to_account_number: to.account_number,
    amount: "1",
  });
  assert.equal(reply.status, 400);
});

bankTest("a malformed id in a path answers 400, never 500", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const id of ["abc", "1", "' OR 1=1 --", "00000000-0000-0000-0000-00000000000g"]) {
    const path = `/accounts/${encodeURIComponent(id)}`;
    assert.equal((await call(app, "GET", path, { token: customer.token })).status, 400, id);
    const post = await call(app, "POST", `${path}/deposit`, {
      token: customer.token,
      body: { amount: "1" },
    });
    assert.equal(post.status, 400, id);
  }
});

bankTest("SQL-looking names and descriptions are stored as plain text", async () => {
  const { app } = await testApp();
  const customer = await signUp(app, "Robert'); DROP TABLE users; --");
  const account = await openAccount(app, customer);
  const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    body: { amount: "1", description: "'; DELETE FROM transactions; --" },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.description, "'; DELETE FROM transactions; --");
  const me = await call(app, "GET", "/users/me", { token: customer.token });
  assert.equal(me.body.name, "Robert'); DROP TABLE users; --");
});
