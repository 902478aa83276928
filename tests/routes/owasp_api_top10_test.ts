/**
 * OWASP API Security Top 10 (2023): for each risk that applies to the bank, an attack and its
 * refusal. Not applicable here: API7 SSRF (no endpoint fetches a URL a client gives; webhook
 * delivery, when added, must refuse private addresses) and API10 unsafe consumption (the bank
 * calls no third-party API).
 */
import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { BODY_BYTES_MAX } from "../../app.ts";
import { issueAccessToken } from "../../routes/auth/tokens.ts";
import { LOGIN_ATTEMPTS_PER_PAIR_MAX } from "../../domain/login_throttle.ts";
import { bankTest, testApp } from "../support/app.ts";
import { balanceOf, call, deposit, fundedAccount, signUp, transfer } from "../support/client.ts";

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
}

// API1 Broken Object Level Authorization
bankTest("API1 BOLA: another customer's account, transactions and profile are 404", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const intruder = await signUp(app);
  const account = await fundedAccount(app, owner, "100.00");
  const [entry] = (await call<{ data: { id: string }[] }>(app, "GET", "/transactions", {
    token: owner.token,
  })).body.data;
  for (
    const path of [`/accounts/${account.id}`, `/transactions/${entry.id}`, `/users/${owner.id}`]
  ) {
    assert.equal((await call(app, "GET", path, { token: intruder.token })).status, 404, path);
  }
  const listed = await call(app, "GET", `/transactions?account_id=${account.id}`, {
    token: intruder.token,
  });
  assert.equal(listed.status, 404);
});

bankTest(
  "API1 BOLA: moving money out of another customer's account is 404 and moves nothing",
  async () => {
    const { app } = await testApp();
    const owner = await signUp(app);
    const intruder = await signUp(app);
    const victim = await fundedAccount(app, owner, "100.00");
    const loot = await fundedAccount(app, intruder, "1.00");
    const stolen = await transfer(app, intruder, {
      from_account_id: victim.id,
      to_account_id: loot.id,
      amount: "50.00",
    });
    assert.equal(stolen.status, 404);
    const withdrawn = await call(app, "POST", `/accounts/${victim.id}/withdraw`, {
      token: intruder.token,
      body: { amount: "50.00" },
    });
    assert.equal(withdrawn.status, 404);
    assert.equal((await deposit(app, intruder, victim.id, "1.00")).status, 404);
    const seen = await call(app, "GET", `/accounts/${victim.id}`, { token: owner.token });
    assert.equal(seen.body.balance, "100.00");
  },
);

// API2 Broken Authentication
bankTest(
  "API2 broken auth: alg none, expired, foreign-signed and garbage tokens are 401",
  async () => {
    const { app, config } = await testApp();
    const customer = await signUp(app);
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${
      base64url({ sub: customer.id, iat: now, exp: now + 600 })
    }.`;
    const expired = await issueAccessToken(customer.id, {
      secret: config.jwtSecret,
      ttlSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    });
    const foreign = await sign(
      { sub: customer.id, iat: now, exp: now + 600 },
      "another-secret-another-secret-another-secret",
      "HS256",
    );
    const hs512 = await sign(
      { sub: customer.id, iat: now, exp: now + 600 },
      config.jwtSecret,
      "HS512",
    );
    const noExpiry = await sign({ sub: customer.id, iat: now }, config.jwtSecret, "HS256");
    for (const token of [unsigned, expired, foreign, hs512, noExpiry, "garbage", "a.b.c"]) {
      const reply = await call(app, "GET", "/users/me", { token });
      assert.equal(reply.status, 401, token);
      assert.equal(reply.body.code, "unauthorized");
    }
    assert.equal(
      (await call(app, "GET", "/users/me", { headers: { authorization: "Basic x" } })).status,
      401,
    );
  },
);

bankTest("API2 broken auth: guessing a password is throttled per email", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  let last = 0;
  for (let i = 0; i <= LOGIN_ATTEMPTS_PER_PAIR_MAX; i++) {
    last = (await call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: `guess ${i}` },
    })).status;
  }
  assert.equal(last, 429);
});

// API3 Broken Object Property Level Authorization
bankTest("API3 BOPLA: balance and user_id sent to POST /accounts are refused 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const other = await signUp(app);
  const reply = await call<{ errors: Record<string, string[]> }>(app, "POST", "/accounts", {
    token: customer.token,
    body: { currency: "ZAR", balance: "1000000.00", available_balance: "5", user_id: other.id },
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(Object.keys(reply.body.errors).sort(), [
    "available_balance",
    "balance",
    "user_id",
  ]);
  for (const who of [customer, other]) {
    const listed = await call<{ data: unknown[] }>(app, "GET", "/accounts", { token: who.token });
    assert.deepEqual(listed.body.data, [], "no account was opened for anyone");
  }
});

bankTest("API3 BOPLA: a transfer cannot set its own status, id or balances", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "10.00");
  const to = await fundedAccount(app, customer, "0.01");
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "50.00",
    status: "approved",
    id: crypto.randomUUID(),
    from_balance_after: "100.00",
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(Object.keys(reply.body.errors as object).sort(), [
    "from_balance_after",
    "id",
    "status",
  ]);
  assert.equal(await balanceOf(app, customer, from.id), "10.00");
  assert.equal(await balanceOf(app, customer, to.id), "0.01");
});

bankTest("API3 BOPLA: no user representation carries a password or its hash", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const me = await call(app, "GET", "/users/me", { token: customer.token });
  const text = JSON.stringify(me.body);
  assert.doesNotMatch(text, /password|argon2|hash/i);
});

// API4 Unrestricted Resource Consumption
bankTest("API4 resource consumption: bodies over the limit are 413", async () => {
  const { app } = await testApp();
  const reply = await call(app, "POST", "/auth/register", {
    raw: JSON.stringify({ name: "x".repeat(BODY_BYTES_MAX), email: "a@b.test", password: "x" }),
  });
  assert.equal(reply.status, 413);
});

bankTest("API4 resource consumption: a page larger than the maximum is refused 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "GET", "/transactions?limit=1000000", { token: customer.token });
  assert.equal(reply.status, 400);
});

bankTest(
  "API4 resource consumption: overlong strings are refused 400 before any work",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "10.00");
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_number: "9".repeat(10_000),
      amount: "1.00",
    });
    assert.equal(reply.status, 400);
    const key = await transfer(app, customer, { from_account_id: from.id, amount: "1" }, {
      "idempotency-key": "k".repeat(256),
    });
    assert.equal(key.status, 400);
  },
);

// API5 Broken Function Level Authorization
bankTest(
  "API5 BFLA: there is no function to set a balance, delete an account or list users",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "10.00");
    const attempts: [string, string][] = [
      ["DELETE", `/accounts/${account.id}`],
      ["PUT", `/accounts/${account.id}`],
      ["PATCH", `/accounts/${account.id}`],
      ["DELETE", "/transactions"],
      ["GET", "/users"],
    ];
    for (const [method, path] of attempts) {
      const reply = await call(app, method, path, {
        token: customer.token,
        body: method === "GET" ? undefined : { balance: "1" },
      });
      assert.ok([404, 405].includes(reply.status), `${method} ${path} → ${reply.status}`);
    }
    const seen = await call(app, "GET", `/accounts/${account.id}`, { token: customer.token });
    assert.equal(seen.body.balance, "10.00");
  },
);

// API6 Unrestricted Access to Sensitive Business Flows
bankTest("API6 business flows: a burst of transfers is stopped by the velocity rule", async () => {
  const { app, config } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100.00");
  const to = await fundedAccount(app, customer, "0.01");
  const statuses: number[] = [];
  for (let i = 0; i <= config.fraud.maxTransfers; i++) {
    statuses.push(
      (await transfer(app, customer, {
        from_account_id: from.id,
        to_account_id: to.id,
        amount: "1.00",
      })).status,
    );
  }
  assert.equal(statuses.at(-1), 422);
});

// API8 Security Misconfiguration
bankTest(
  "API8 misconfiguration: errors are problem+json without stack, SQL or framework name",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const replies = [
      await call(app, "POST", "/transactions/transfer", {
        token: customer.token,
        raw: "{not json",
      }),
      await call(app, "GET", `/accounts/${"x".repeat(50)}`, { token: customer.token }),
      await call(app, "GET", "/no/such/route"),
      await call(app, "DELETE", "/health"),
    ];
    for (const reply of replies) {
      assert.ok(reply.status >= 400 && reply.status < 500);
      assert.equal(reply.headers.get("content-type"), "application/problem+json");
      assert.doesNotMatch(
        JSON.stringify(reply.body),
        /\bat \w|\.ts:\d|SELECT|INSERT|postgres|hono/i,
      );
      assert.equal(reply.headers.get("x-powered-by"), null);
      assert.equal(reply.headers.get("access-control-allow-origin"), null);
    }
  },
);

// API9 Improper Inventory Management
bankTest(
  "API9 inventory: /openapi.json answers and documents the money-moving routes",
  async () => {
    const { app } = await testApp();
    const reply = await call<{ paths: Record<string, unknown> }>(app, "GET", "/openapi.json");
    assert.equal(reply.status, 200);
    for (const path of ["/transactions/transfer", "/accounts/{id}/deposit", "/auth/login"]) {
      assert.ok(path in reply.body.paths, path);
    }
  },
);
