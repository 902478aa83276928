/**
 * Connection failures: a movement that never reached COMMIT is run again on a fresh connection;
 * one that may have committed is not. On real PostgreSQL, a backend killed under the pool (as a
 * database restart does) costs the next request nothing.
 */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import type { Sql, Tx } from "../../db/client.ts";
import { CONNECTION_RETRIES_MAX } from "../../db/connection_failures.ts";
import { serializable } from "../../db/serializable.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testConfig } from "../support/app.ts";
import { call, fundedAccount, signUp } from "../support/client.ts";
import { connectTestDatabase, onRealPostgres, testDatabase } from "../support/database.ts";

const connectionClosed = () => Object.assign(new Error("closed"), { code: "CONNECTION_CLOSED" });

/** A stand-in for postgres.js whose `begin` fails as told, around or after the work. */
function failingBegins(failures: ("before_work" | "after_work")[]) {
  let workRuns = 0;
  const sql = {
    begin: async (_mode: string, work: (tx: Tx) => Promise<unknown>) => {
      const failure = failures.shift();
      if (failure === "before_work") throw connectionClosed();
      const result = await work({} as Tx);
      if (failure === "after_work") throw connectionClosed();
      return result;
    },
  } as unknown as Sql;
  const work = () => {
    workRuns++;
    return Promise.resolve("posted");
  };
  return { sql, work, runs: () => workRuns };
}

bankTest("a transaction whose connection failed before COMMIT is run again", async () => {
  const stand = failingBegins(["before_work", "before_work"]);
  assert.equal(await serializable(stand.sql, stand.work), "posted");
  assert.equal(stand.runs(), 1);
});

bankTest(
  "a transaction whose connection failed once COMMIT may be sent is not run again",
  async () => {
    const stand = failingBegins(["after_work"]);
    await assert.rejects(serializable(stand.sql, stand.work), { code: "CONNECTION_CLOSED" });
    assert.equal(stand.runs(), 1);
  },
);

bankTest("connection failures are not retried past the transaction's budget", async () => {
  let begins = 0;
  const slowFailures = {
    begin: async () => {
      begins++;
      await new Promise((resolve) => setTimeout(resolve, 60));
      throw connectionClosed();
    },
  } as unknown as Sql;
  await assert.rejects(
    serializable(slowFailures, () => Promise.resolve("posted"), 100),
    { code: "CONNECTION_CLOSED" },
  );
  assert.ok(begins <= 2, `${begins} attempts in a 100 ms budget of 60 ms failures`);
});

bankTest("connection failures are retried a bounded number of times", async () => {
  const stand = failingBegins(Array(CONNECTION_RETRIES_MAX + 1).fill("before_work"));
  await assert.rejects(serializable(stand.sql, stand.work), { code: "CONNECTION_CLOSED" });
  assert.equal(stand.runs(), 0);
});

/** An app over a one-connection pool, and a way to kill that connection's backend mid-query. */
async function appOverOneConnection() {
  const { url, sql: admin } = await testDatabase();
  const pool = connectTestDatabase(url, { max: 1 });
  const config = testConfig();
  const app = createApp({
    sql: pool,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
  });
  const killBackendMidQuery = async () => {
    const [{ pid }] = await pool<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const sleeping = pool`SELECT pg_sleep(5)`.then(() => "finished", () => "failed");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin`SELECT pg_terminate_backend(${pid})`;
    assert.equal(await sleeping, "failed");
  };
  return { app, pool, admin, killBackendMidQuery };
}

Deno.test({
  name: "a deposit right after its pooled connection's backend was killed posts once",
  ignore: !onRealPostgres(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { app, pool, admin, killBackendMidQuery } = await appOverOneConnection();
    try {
      const me = await signUp(app);
      const account = await fundedAccount(app, me, "100.00");
      await killBackendMidQuery();
      const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
        token: me.token,
        body: { amount: "5.00", description: "after the kill" },
      });
      assert.equal(reply.status, 201);
      const rows = await admin`
        SELECT id FROM transactions WHERE to_account_id = ${account.id}
          AND description = 'after the kill'`;
      assert.equal(rows.length, 1);
    } finally {
      await pool.end();
    }
  },
});

Deno.test({
  name:
    "an Idempotency-Key claimed right after its connection's backend was killed still posts once",
  ignore: !onRealPostgres(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { app, pool, killBackendMidQuery } = await appOverOneConnection();
    try {
      const me = await signUp(app);
      const from = await fundedAccount(app, me, "100.00");
      const to = await fundedAccount(app, me, "1.00");
      const request = {
        token: me.token,
        body: { from_account_id: from.id, to_account_id: to.id, amount: "10.00" },
        headers: { "idempotency-key": crypto.randomUUID() },
      };
      await killBackendMidQuery();
      const first = await call(app, "POST", "/transactions/transfer", request);
      assert.equal(first.status, 201);
      const replay = await call(app, "POST", "/transactions/transfer", request);
      assert.deepEqual([replay.status, replay.body.id], [201, first.body.id]);
      const balance = await call(app, "GET", `/accounts/${from.id}`, { token: me.token });
      assert.equal(balance.body.balance, "90.00");
    } finally {
      await pool.end();
    }
  },
});
