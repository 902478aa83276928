/**
 * OWASP API Security Top 10 (2023): for each risk that applies to the bank, an attack and its
 * refusal (issue #14's security review adds one per finding). Not applicable here: API10 unsafe
 * consumption (the bank calls no third-party API).
 */
import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { BODY_BYTES_MAX } from "../../app.ts";
import { issueAccessToken } from "../../routes/auth/tokens.ts";
import {
  LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER,
  LOGIN_ATTEMPTS_PER_PAIR_MAX,
} from "../../domain/login_throttle.ts";
import {
  ACCOUNT_NUMBER_CHECKS_PER_USER_MAX,
  ACCOUNTS_PER_USER_MAX,
  REDELIVERIES_PER_USER_MAX,
} from "../../domain/abuse_limits.ts";
import { createApp } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { sendWebhook } from "../../db/webhook_worker.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import {
  balanceOf,
  call,
  deposit,
  fundedAccount,
  type Requestable,
  signUp,
  transfer,
} from "../support/client.ts";
import { testDatabase } from "../support/database.ts";
import { PageClient } from "../support/pages.ts";
import { startReceiver } from "../support/receiver.ts";

// The app as reached from one client address, as Deno.serve passes it (the in-process default
// has none).
function fromAddress(app: Requestable & { request: ReturnType<typeof createApp>["request"] }) {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  const remoteAddr = { hostname: `198.51.${bytes[0]}.${bytes[1]}`, port: 50_000, transport: "tcp" };
  return { request: (path: string, init?: RequestInit) => app.request(path, init, { remoteAddr }) };
}

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
      generation: 0,
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

bankTest(
  "API2 broken auth: 20 parallel wrong passwords get at most the pair's limit of 401s, the rest 429",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const attacker = fromAddress(app);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(attacker, "POST", "/auth/login", {
          body: { email: customer.email, password: `guess ${i}` },
        }).then((reply) => reply.status)),
    );
    assert.equal(statuses.filter((status) => status === 401).length, LOGIN_ATTEMPTS_PER_PAIR_MAX);
    assert.equal(
      statuses.filter((status) => status === 429).length,
      20 - LOGIN_ATTEMPTS_PER_PAIR_MAX,
    );
  },
);

bankTest(
  "API2 broken auth: a stranger's failures do not lock the owner out, and slow the stranger",
  async () => {
    const { app } = await testApp();
    const owner = await signUp(app);
    const stranger = fromAddress(app);
    // Enough to put the email under back-off: every attempt counts, refused ones too.
    for (let i = 0; i <= LOGIN_ATTEMPTS_PER_EMAIL_BACKOFF_AFTER; i++) {
      await call(stranger, "POST", "/auth/login", {
        body: { email: owner.email, password: `guess ${i}` },
      });
    }
    const owners = await call(fromAddress(app), "POST", "/auth/login", {
      body: { email: owner.email, password: owner.password },
    });
    assert.equal(owners.status, 200, "the owner's right password from a fresh address passes");
    // Under back-off a fresh address gets one guess, not five.
    const elsewhere = fromAddress(app);
    const guess = (password: string) =>
      call(elsewhere, "POST", "/auth/login", { body: { email: owner.email, password } });
    assert.equal((await guess("guess a")).status, 401);
    assert.equal((await guess("guess b")).status, 429);
  },
);

bankTest(
  "API4 resource consumption: registrations from one address are throttled 429 with Retry-After",
  async () => {
    const { app } = await testApp({ env: { REGISTRATIONS_PER_CLIENT_MAX: "3" } });
    const client = fromAddress(app);
    const register = (agent: Requestable) =>
      call(agent, "POST", "/auth/register", {
        body: {
          name: "Bulk",
          email: `bulk-${crypto.randomUUID()}@example.test`,
          password: "correct horse battery",
        },
      });
    for (let i = 0; i < 3; i++) assert.equal((await register(client)).status, 201);
    const refused = await register(client);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, "rate_limited");
    assert.equal(refused.headers.get("content-type"), "application/problem+json");
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.equal((await register(fromAddress(app))).status, 201, "another address is not counted");
  },
);

bankTest(
  "API4 resource consumption: a customer may hold a documented number of accounts, then 422",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    // More than the cap at once: the openings queue per user, so exactly the cap succeed.
    const statuses = await Promise.all(
      Array.from(
        { length: ACCOUNTS_PER_USER_MAX + 5 },
        () =>
          call(app, "POST", "/accounts", { token: customer.token, body: {} }).then((r) => r.status),
      ),
    );
    assert.equal(statuses.filter((status) => status === 201).length, ACCOUNTS_PER_USER_MAX);
    const refused = await call(app, "POST", "/accounts", { token: customer.token, body: {} });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "account_limit");
    const listed = await call<{ data: unknown[] }>(app, "GET", "/accounts", {
      token: customer.token,
    });
    assert.equal(listed.body.data.length, ACCOUNTS_PER_USER_MAX);
  },
);

bankTest(
  "API4 resource consumption: a burst of redeliveries is refused 429 before it fans out",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    await fundedAccount(app, customer, "1.00");
    const events = await call<{ data: { id: string }[] }>(app, "GET", "/events", {
      token: customer.token,
    });
    const eventId = events.body.data[0].id;
    const statuses = [];
    for (let i = 0; i <= REDELIVERIES_PER_USER_MAX; i++) {
      statuses.push(
        (await call(app, "POST", `/events/${eventId}/redeliver`, {
          token: customer.token,
        })).status,
      );
    }
    assert.deepEqual(statuses.slice(0, -1), Array(REDELIVERIES_PER_USER_MAX).fill(202));
    assert.equal(statuses.at(-1), 429);
  },
);

bankTest(
  "API6 business flows: guessing account numbers on the transfers page is throttled per user",
  async () => {
    const { app } = await testApp();
    const visitor = new PageClient(app);
    await visitor.register();
    // Valid-looking numbers (right length and check digit) are what reach the directory.
    const check = (number: string) =>
      visitor.get(`/app/transfers/check?field=to_account_number&to_account_number=${number}`, {
        "hx-request": "true",
      });
    const owner = await signUp(app);
    const target = await fundedAccount(app, owner, "1.00");
    let last = 200;
    for (let i = 0; i <= ACCOUNT_NUMBER_CHECKS_PER_USER_MAX; i++) {
      last = (await check(target.account_number)).status;
    }
    assert.equal(last, 429);
  },
);

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

// API7 Server-Side Request Forgery
bankTest(
  "API7 SSRF: IPv4-compatible, NAT64, 6to4 and Teredo webhook URLs are refused",
  async () => {
    const { app } = await testApp({
      env: { APP_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "false" },
    });
    const customer = await signUp(app);
    for (
      const url of [
        "http://[::a9fe:a9fe]/",
        "http://[::7f00:1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[64:ff9b:1::a00:1]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
      ]
    ) {
      const reply = await call(app, "POST", "/webhook_endpoints", {
        token: customer.token,
        body: { url },
      });
      assert.equal(reply.status, 400, url);
    }
  },
);

bankTest(
  "API7 SSRF: with APP_ENV unset the filter is still on (only WEBHOOK_ALLOW_PRIVATE lifts it)",
  async () => {
    const { sql } = await testDatabase();
    const config = loadConfig({
      DATABASE_URL: testConfig().databaseUrl,
      PASSWORD_HASH_MEMORY_KIB: "256",
      PASSWORD_HASH_ITERATIONS: "1",
    });
    assert.equal(config.env, "development");
    const app = createApp({
      sql,
      config,
      clock: () => new Date(),
      fraudRules: createFraudRules(config.fraud),
      log: createMemoryLogger(),
    });
    const customer = await signUp(app);
    for (const url of ["http://127.0.0.1:8500/hook", "http://169.254.169.254/latest"]) {
      const reply = await call(app, "POST", "/webhook_endpoints", {
        token: customer.token,
        body: { url },
      });
      assert.equal(reply.status, 400, url);
    }
  },
);

bankTest(
  "API7 SSRF: a delivery connects to the address its check resolved, never resolving again",
  async () => {
    const receiver = startReceiver();
    try {
      const port = new URL(receiver.url).port;
      const path = new URL(receiver.url).pathname;
      let lookups = 0;
      // ".invalid" never resolves (RFC 6761): only the checked answer can reach the receiver.
      const result = await sendWebhook({
        url: `http://rebound.invalid:${port}${path}`,
        secret: "whsec_" + btoa("0123456789abcdef0123456789abcdef"),
        event: { id: crypto.randomUUID(), type: "test.ping", createdAt: new Date(), data: {} },
      }, {
        allowPrivate: true,
        resolve: () => {
          lookups++;
          return Promise.resolve(["127.0.0.1"]);
        },
        timestamp: new Date(),
        timeoutMs: 5_000,
      });
      assert.equal(result.responseStatus, 200, String(result.error));
      assert.equal(lookups, 1);
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0].headers.get("host"), `rebound.invalid:${port}`);
    } finally {
      await receiver.close();
    }
  },
);

// API8 Security Misconfiguration
bankTest(
  "API8 misconfiguration: a forged Host header does not reach /openapi.json's servers",
  async () => {
    const { app } = await testApp();
    // Deno.serve builds the request URL from the Host header: the forged name is in it.
    const response = await app.request("http://evil.example/openapi.json", {
      headers: { host: "evil.example" },
    });
    const document = await response.json();
    assert.doesNotMatch(JSON.stringify(document.servers), /evil\.example/);
  },
);

bankTest(
  "API8 misconfiguration: a trailing-slash alias is a 308 to the one documented path",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    for (const path of ["/accounts/", "/health/", "/accounts//?limit=5"]) {
      const response = await app.request(path, {
        headers: { authorization: `Bearer ${customer.token}` },
      });
      assert.equal(response.status, 308, path);
      const location = response.headers.get("location") ?? "";
      assert.ok(!location.slice(1).includes("/") || location.startsWith("/accounts?"), location);
      assert.ok(!location.startsWith("//"), location);
    }
    assert.equal((await app.request("/accounts/")).headers.get("location"), "/accounts");
  },
);

bankTest(
  "API9 inventory: every operation that takes a body documents 415",
  async () => {
    const { app } = await testApp();
    const document = await (await app.request("/openapi.json")).json();
    let bodies = 0;
    for (
      const [path, item] of Object.entries(
        document.paths as Record<
          string,
          Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>
        >,
      )
    ) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation.requestBody) continue;
        bodies++;
        assert.ok("415" in operation.responses, `${method} ${path}`);
      }
    }
    assert.ok(bodies > 5);
    const customer = await signUp(app);
    const wrongType = await call(app, "POST", "/accounts", {
      token: customer.token,
      raw: "currency=ZAR",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(wrongType.status, 415);
  },
);

// API8 Security Misconfiguration (errors)
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

// API2 Broken Authentication: sessions that outlive their sign-out (issue #14 finding 7)
bankTest(
  "API2 broken auth: a logged-out token is 401 as a bearer and as the dashboard's cookie",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    // Used once first, so the in-process cache of verified signatures holds it.
    assert.equal((await call(app, "GET", "/accounts", { token: customer.token })).status, 200);
    const loggedOut = await call(app, "POST", "/auth/logout", { token: customer.token });
    assert.equal(loggedOut.status, 204);
    const replayed = await call(app, "GET", "/accounts", { token: customer.token });
    assert.equal(replayed.status, 401);
    assert.equal(replayed.body.code, "unauthorized");
    const visitor = new PageClient(app);
    visitor.cookies.set("bank_session", customer.token);
    const page = await visitor.get("/app");
    assert.equal(page.status, 303);
    assert.match(page.headers.get("location")!, /^\/app\/sign-in/);
  },
);

bankTest(
  "API2 broken auth: the dashboard's signed-out cookie is 401 as a bearer and refused as a cookie",
  async () => {
    const { app } = await testApp();
    const visitor = new PageClient(app);
    await visitor.register();
    const stolen = visitor.cookies.get("bank_session")!;
    assert.equal((await call(app, "GET", "/users/me", { token: stolen })).status, 200);
    assert.equal((await visitor.post("/app/sign-out", {})).status, 303);
    assert.equal((await call(app, "GET", "/users/me", { token: stolen })).status, 401);
    visitor.cookies.set("bank_session", stolen);
    const page = await visitor.get("/app");
    assert.equal(page.status, 303);
    assert.match(page.headers.get("location")!, /^\/app\/sign-in/);
  },
);

bankTest("API2 broken auth: every token issued before a password change is 401", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const second = await call<{ access_token: string }>(app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  const visitor = new PageClient(app);
  await visitor.get("/app/sign-in");
  await visitor.post("/app/sign-in", { email: customer.email, password: customer.password });
  const cookie = visitor.cookies.get("bank_session")!;
  const changed = await call(app, "POST", "/auth/password", {
    token: customer.token,
    body: { current_password: customer.password, new_password: "a brand new password" },
  });
  assert.equal(changed.status, 204);
  for (const token of [customer.token, second.body.access_token, cookie]) {
    assert.equal((await call(app, "GET", "/accounts", { token })).status, 401);
  }
  assert.equal((await visitor.get("/app")).status, 303);
});

// API5 Broken Function Level Authorization: what a leaked API key can do (finding 8)
async function keyWith(
  app: Parameters<typeof call>[0],
  token: string,
  scopes?: string[],
): Promise<{ id: string; key: string }> {
  const reply = await call<{ id: string; key: string }>(app, "POST", "/api_keys", {
    token,
    body: { name: `scopes ${scopes?.join(",") ?? "default"}`, ...(scopes ? { scopes } : {}) },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

bankTest(
  "API5 function level: a money key cannot mint an admin key, nor any key, nor revoke keys",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const money = await keyWith(app, customer.token, ["money"]);
    const other = await keyWith(app, customer.token);
    const attempts = [
      ["/api_keys", { name: "escalate", scopes: ["admin"] }],
      ["/api_keys", { name: "copy" }],
      // The same route spelt with an escape is the same rule (a trailing slash is a 308 to the
      // path without it before anything runs: the trailing-slash attack test).
      ["/api%5Fkeys", { name: "escaped" }],
    ] as const;
    for (const [path, body] of attempts) {
      const minted = await app.request(path, {
        method: "POST",
        headers: { authorization: `Bearer ${money.key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const problem = await minted.json();
      assert.equal(minted.status, 403, `${path} ${JSON.stringify(body)}`);
      assert.equal(problem.code, "insufficient_scope");
      assert.match(minted.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    }
    for (const body of [{ name: "escalate", scopes: ["admin"] }, { name: "copy" }]) {
      const minted = await call(app, "POST", "/api_keys", { token: money.key, body });
      assert.equal(minted.status, 403, JSON.stringify(body));
      assert.equal(minted.body.code, "insufficient_scope");
      assert.match(minted.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    }
    const revoked = await call(app, "DELETE", `/api_keys/${other.id}`, { token: money.key });
    assert.equal(revoked.status, 403);
    assert.equal((await call(app, "GET", "/accounts", { token: other.key })).status, 200);
  },
);

bankTest("API5 function level: keys a revoked key minted stop working with it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const leaked = await keyWith(app, customer.token, ["admin"]);
  const child = await keyWith(app, leaked.key, ["admin"]);
  const grandchild = await keyWith(app, child.key, ["read"]);
  assert.equal((await call(app, "GET", "/accounts", { token: grandchild.key })).status, 200);
  const revoked = await call(app, "DELETE", `/api_keys/${leaked.id}`, { token: customer.token });
  assert.equal(revoked.status, 204);
  for (const key of [leaked, child, grandchild]) {
    assert.equal((await call(app, "GET", "/accounts", { token: key.key })).status, 401);
  }
  const listed = await call<{ data: unknown[] }>(app, "GET", "/api_keys", {
    token: customer.token,
  });
  assert.deepEqual(listed.body.data, []);
});

bankTest(
  "API5 function level: a read or money key cannot register a webhook endpoint",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    for (const scopes of [["read"], ["money"], ["read", "money"]]) {
      const { key } = await keyWith(app, customer.token, scopes);
      const registered = await call(app, "POST", "/webhook_endpoints", {
        token: key,
        body: { url: "http://localhost:8500/exfiltrate" },
      });
      assert.equal(registered.status, 403, scopes.join(","));
      assert.equal(registered.body.code, "insufficient_scope");
      assert.equal(
        (await call(app, "GET", "/webhook_endpoints", { token: key })).status,
        403,
        scopes.join(","),
      );
    }
    const listed = await call<{ data: unknown[] }>(app, "GET", "/webhook_endpoints", {
      token: customer.token,
    });
    assert.deepEqual(listed.body.data, []);
  },
);

bankTest("API5 function level: a read key moves no money", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "10.00");
  const { key } = await keyWith(app, customer.token, ["read"]);
  assert.equal((await call(app, "GET", `/accounts/${account.id}`, { token: key })).status, 200);
  const withdrawn = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: key,
    body: { amount: "5.00" },
  });
  assert.equal(withdrawn.status, 403);
  assert.equal(withdrawn.body.code, "insufficient_scope");
  assert.equal(await balanceOf(app, customer, account.id), "10.00");
});

// API2 Broken Authentication: a token for a user that is gone (finding 11)
bankTest(
  "API2 broken auth: a validly signed token for a user this bank does not know is 401 everywhere",
  async () => {
    const { app, config } = await testApp();
    const token = await issueAccessToken(crypto.randomUUID(), {
      secret: config.jwtSecret,
      ttlSeconds: 600,
      now: new Date(),
      generation: 0,
    });
    const attempts: [string, string, unknown?][] = [
      ["POST", "/api_keys", { name: "ghost" }],
      ["GET", "/api_keys"],
      ["GET", "/accounts"],
      ["GET", "/users/me"],
      ["POST", "/webhook_endpoints", { url: "http://localhost:8500/x" }],
      ["POST", "/auth/logout"],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await call(app, method, path, { token, body });
      assert.equal(reply.status, 401, `${method} ${path}`);
      assert.match(reply.headers.get("www-authenticate") ?? "", /^Bearer /);
    }
  },
);
