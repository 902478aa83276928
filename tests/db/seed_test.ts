/** The demo data `deno task dev` starts with: every kind of object a customer meets, made once. */
import assert from "node:assert/strict";
import { auditDatabase } from "../../db/audit.ts";
import { DEMO_CUSTOMER, seedDemoData } from "../../db/seed.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { testConfig } from "../support/app.ts";
import { withIsolatedDatabase } from "../support/database.ts";

Deno.test({
  name: "the demo customer has accounts, movements, payments both ways and a hold, once",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withIsolatedDatabase(async (sql) => {
      // A velocity window other than 60 s: the seed's commands take the rules' own window.
      const config = testConfig({ FRAUD_WINDOW_SECONDS: "3600" });
      const options = {
        cost: config.passwordHash,
        rules: createFraudRules(config.fraud),
        now: new Date(),
        clearing: {
          settlementSeconds: config.paymentSettlementSeconds,
          calendar: config.clearingCalendar,
        },
      };
      assert.equal(await seedDemoData(sql, options), true);
      assert.equal(await seedDemoData(sql, options), false, "a second seed changes nothing");
      const [counts] = await sql<Record<string, number>[]>`
        SELECT
          (SELECT count(*)::int FROM accounts a JOIN users u ON u.id = a.user_id
            WHERE u.email = ${DEMO_CUSTOMER.email}) AS accounts,
          (SELECT count(*)::int FROM transactions WHERE status = 'approved') AS approved,
          (SELECT count(*)::int FROM payments
            WHERE direction = 'outbound' AND status = 'pending') AS payments_out,
          (SELECT count(*)::int FROM payments
            WHERE direction = 'inbound' AND status = 'pending') AS payments_in,
          (SELECT count(*)::int FROM holds WHERE status = 'active') AS holds`;
      assert.deepEqual(counts, {
        accounts: 2,
        approved: 6,
        paymentsOut: 1,
        paymentsIn: 1,
        holds: 1,
      });
      assert.deepEqual((await auditDatabase(sql, { realNow: new Date() })).findings, []);
    });
  },
});
