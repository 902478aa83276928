/** The background jobs' passes: one failing item is logged by its id, and the pass goes on. */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import type { Sql } from "../../db/client.ts";
import { JOBS, runJob } from "../../db/jobs.ts";
import { deliverDueWebhooks } from "../../db/webhook_worker.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { testConfig } from "../support/app.ts";
import { fundedAccount, openAccount, signUp } from "../support/client.ts";
import { onRealPostgres, withIsolatedDatabase } from "../support/database.ts";
import { sendPayment } from "../support/payments.ts";
import { createEndpoint } from "../support/webhooks.ts";

const later = () => new Date(Date.now() + 120_000);

function appOver(sql: Sql) {
  const config = testConfig();
  const log = createMemoryLogger();
  const app = createApp({
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log,
  });
  return { app, config, log };
}

/** Makes every UPDATE of the row `id` in `table` fail, as a broken item would. */
async function breakRow(sql: Sql, table: string, id: string): Promise<void> {
  await sql.unsafe(`
    CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'this row is broken' USING ERRCODE = 'P0001'; END $$;
    CREATE TRIGGER refuse_row BEFORE UPDATE ON ${table}
      FOR EACH ROW WHEN (OLD.id = '${id}') EXECUTE FUNCTION refuse_row();`);
}

Deno.test({
  name: "a clearing pass logs a failing item by its id and settles the others",
  ignore: !onRealPostgres(),
  async fn() {
    await withIsolatedDatabase(async (sql) => {
      const { app, config } = appOver(sql);
      const customer = await signUp(app);
      const account = await fundedAccount(app, customer, "100");
      const sent: string[] = [];
      for (let i = 0; i < 2; i++) {
        const reply = await sendPayment(app, customer, {
          from_account_id: account.id,
          amount: "1",
        });
        sent.push(reply.body.id);
      }
      await breakRow(sql, "payments", sent[0]);
      const passLog = createMemoryLogger();
      await runJob(JOBS.clearing, { sql, config, log: passLog, clock: later });
      const statuses = await sql<{ id: string; status: string }[]>`
        SELECT id, status FROM payments WHERE id = ANY(${sent}) ORDER BY seq`;
      assert.deepEqual(statuses.map((row) => row.status), ["pending", "settled"]);
      const events = passLog.lines.map((line) => JSON.parse(line));
      assert.ok(events.some((e) => e.event === "clearing_item_failed" && e.id === sent[0]));
      assert.ok(!events.some((e) => e.event === "job_failed"), passLog.lines.join("\n"));
    });
  },
});

Deno.test({
  name: "a delivery pass records every other delivery when one cannot be recorded",
  ignore: !onRealPostgres(),
  async fn() {
    await withIsolatedDatabase(async (sql) => {
      const { app, config } = appOver(sql);
      // Answers once both deliveries have arrived, after breaking the first one's row: its
      // attempt then cannot be recorded, while the other's can.
      const arrived: Promise<void>[] = [];
      const both = Promise.withResolvers<void>();
      let rowBroken: Promise<void> | undefined;
      let brokenId = "";
      const receiver = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        async (req) => {
          await req.text();
          arrived.push(Promise.resolve());
          if (arrived.length === 2) both.resolve();
          await both.promise;
          rowBroken ??= breakRow(sql, "webhook_deliveries", brokenId);
          await rowBroken;
          return new Response("ok");
        },
      );
      try {
        const customer = await signUp(app);
        await createEndpoint(app, customer, {
          url: `http://127.0.0.1:${receiver.addr.port}/hook`,
          event_types: ["account.created"],
        });
        await openAccount(app, customer);
        await openAccount(app, customer);
        const deliveries = await sql<{ id: string }[]>`
          SELECT id FROM webhook_deliveries ORDER BY seq`;
        assert.equal(deliveries.length, 2);
        brokenId = deliveries[0].id;
        const log = createMemoryLogger();
        const handled = await deliverDueWebhooks({ sql, config, log, clock: () => new Date() });
        assert.equal(handled, 2);
        const rows = await sql<{ status: string }[]>`
          SELECT status FROM webhook_deliveries ORDER BY seq`;
        assert.deepEqual(rows.map((row) => row.status), ["pending", "succeeded"]);
        const events = log.lines.map((line) => JSON.parse(line));
        assert.ok(
          events.some((e) => e.event === "webhook_record_failed" && e.delivery_id === brokenId),
        );
      } finally {
        await receiver.shutdown();
      }
    });
  },
});
