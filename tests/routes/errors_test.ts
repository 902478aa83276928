/** Every error leaves as RFC 9457 problem+json, and nothing internal leaks. */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { connectDatabase, type Sql } from "../../db/client.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";

bankTest("an unknown route answers 404 problem+json", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/no/such/route");
  assert.equal(reply.status, 404);
  assert.equal(reply.headers.get("content-type"), "application/problem+json");
  assert.deepEqual(Object.keys(reply.body).sort(), ["code", "detail", "status", "title", "type"]);
});

bankTest("a known route with the wrong method answers 405 with Allow", async () => {
  const { app } = await testApp();
  const reply = await call(app, "DELETE", "/accounts");
  assert.equal(reply.status, 405);
  assert.equal(reply.headers.get("allow"), "GET, HEAD, POST");
  assert.equal(reply.body.code, "method_not_allowed");
  const put = await call(app, "PUT", `/accounts/${crypto.randomUUID()}`);
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, HEAD");
});

bankTest("an oversized body answers 413 problem", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/accounts", {
    token: customer.token,
    raw: JSON.stringify({ currency: "ZAR", padding: "x".repeat(100 * 1024) }),
  });
  assert.equal(reply.status, 413);
  assert.equal(reply.body.code, "payload_too_large");
});

bankTest(
  "an unexpected failure answers 500 with an opaque id, and neither response nor log leaks",
  async () => {
    const secretSql = "SELECT password_hash FROM users WHERE email = 'victim@example.test'";
    const failing = (() => {
      const error = Object.assign(new Error(`syntax error at ${secretSql}`), {
        name: "PostgresError",
        code: "42601",
        query: secretSql,
      });
      return Promise.reject(error);
    }) as unknown as Sql;
    const log = createMemoryLogger();
    const config = testConfig();
    const app = createApp({
      sql: failing,
      config,
      clock: () => new Date(),
      fraudRules: createFraudRules(config.fraud),
      log,
    });
    const reply = await call(app, "POST", "/auth/login", {
      body: { email: "victim@example.test", password: "whatever-password" },
    });
    assert.equal(reply.status, 500);
    assert.equal(reply.headers.get("content-type"), "application/problem+json");
    assert.equal(reply.body.code, "internal_error");
    const errorId = String(reply.body.error_id);
    assert.match(errorId, /^[0-9a-f-]{36}$/);
    const everything = JSON.stringify(reply.body) + log.lines.join("\n");
    assert.doesNotMatch(everything, /password_hash|SELECT|victim|at \w+ \(|\.ts:\d+/);
    assert.ok(log.lines.some((line) => line.includes(errorId)), "the log names the error id");
  },
);

bankTest("a database that is down answers 503 problem, not 500", async () => {
  // A real client whose server is not there: nothing listens on port 1.
  const down = connectDatabase("postgres://postgres@127.0.0.1:1/none", { max: 1 });
  const config = testConfig();
  const app = createApp({
    sql: down,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
  });
  try {
    const reply = await call(app, "POST", "/auth/login", {
      body: { email: "a@b.co", password: "x" },
    });
    assert.equal(reply.status, 503);
    assert.equal(reply.body.code, "service_unavailable");
    assert.equal(reply.headers.get("retry-after"), "1");
    const health = await call(app, "GET", "/health");
    assert.equal(health.status, 503);
  } finally {
    await down.end({ timeout: 1 });
  }
});

bankTest("GET /health answers ok with the database reachable", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/health");
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { status: "ok", database: "ok" });
});

bankTest("GET /currencies lists ZAR, USD, EUR and GBP with their exponents", async () => {
  const { app } = await testApp();
  const reply = await call<{ data: { code: string; exponent: number }[] }>(
    app,
    "GET",
    "/currencies",
  );
  const byCode = Object.fromEntries(
    reply.body.data.map((currency) => [currency.code, currency.exponent]),
  );
  assert.equal(byCode.ZAR, 2);
  assert.equal(byCode.USD, 2);
  assert.equal(byCode.EUR, 2);
  assert.equal(byCode.GBP, 2);
  assert.equal(byCode.JPY, 0);
});

bankTest("GET /openapi.json serves the OpenAPI 3.1 document of every route", async () => {
  const { app } = await testApp();
  const reply = await call<{ openapi: string; paths: Record<string, unknown> }>(
    app,
    "GET",
    "/openapi.json",
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.openapi, "3.1.0");
  for (const path of ["/auth/register", "/accounts/{id}/deposit", "/transactions/transfer"]) {
    assert.ok(reply.body.paths[path], path);
  }
});
