/** `deno task audit` reconciles balances with the ledger and catches a corrupted database. */
import assert from "node:assert/strict";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import { createApp } from "../../app.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testConfig } from "../support/app.ts";
import { onRealPostgres, withIsolatedDatabase } from "../support/database.ts";
import { fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";
import type { Sql } from "../../db/client.ts";

async function bankWithActivity(sql: Sql) {
  const config = testConfig();
  const app = createApp({
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
  });
  const customer = await signUp(app);
  const a = await fundedAccount(app, customer, "500");
  const b = await openAccount(app, customer);
  await transfer(app, customer, { from_account_id: a.id, to_account_id: b.id, amount: "120.50" });
  await transfer(app, customer, { from_account_id: a.id, to_account_id: b.id, amount: "9999" });
  await fundedAccount(app, customer, "7", "USD");
  return { a, b };
}

bankTest(
  "the audit finds nothing wrong with a bank that only moved money through the API",
  async () => {
    await withIsolatedDatabase(async (sql) => {
      await bankWithActivity(sql);
      const report = await auditDatabase(sql, { realNow: new Date() });
      assert.deepEqual(report.findings, []);
      // Three customer accounts and the bank's seven FX positions (one per currency, at zero).
      assert.equal(report.accounts, 10);
      assert.deepEqual(report.currencies.filter((row) => row.balances !== "0"), [
        { currency: "USD", balances: "700", externalNet: "700", fxPosition: "0" },
        { currency: "ZAR", balances: "50000", externalNet: "50000", fxPosition: "0" },
      ]);
      assert.match(formatAuditReport(report), /^OK: /m);
    });
  },
);

bankTest("the audit reports a balance changed behind the ledger's back", async () => {
  await withIsolatedDatabase(async (sql) => {
    const { b } = await bankWithActivity(sql);
    await sql`UPDATE accounts SET balance = balance + 1 WHERE id = ${b.id}`;
    const report = await auditDatabase(sql, { realNow: new Date() });
    const checks = report.findings.map((finding) => finding.check).sort();
    assert.deepEqual(checks, ["balance_equals_ledger", "money_conserved"]);
    assert.match(formatAuditReport(report), /FAILED: 2 disagreement/);
  });
});

bankTest(
  "deno task audit exits non-zero on a corrupted database and zero on a clean one",
  async () => {
    await withIsolatedDatabase(async (sql) => {
      const { a } = await bankWithActivity(sql);
      const url = await databaseUrlOf(sql);
      const run = async () => {
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "db/cli.ts", "audit"],
          env: { DATABASE_URL: url },
          stdout: "piped",
          stderr: "piped",
        }).output();
        return { code: output.code, text: new TextDecoder().decode(output.stdout) };
      };
      const clean = await run();
      assert.equal(clean.code, 0, clean.text);
      assert.match(clean.text, /OK: every balance equals its ledger/);
      await sql`UPDATE accounts SET balance = balance - 100 WHERE id = ${a.id}`;
      const corrupted = await run();
      assert.equal(corrupted.code, 1);
      assert.match(corrupted.text, /balance_equals_ledger/);
    });
  },
  // The CLI opens a connection of its own; the embedded database takes one, held by this test.
  { ignore: !onRealPostgres() },
);

async function databaseUrlOf(sql: Sql): Promise<string> {
  const [{ name }] = await sql<{ name: string }[]>`SELECT current_database() AS name`;
  const url = new URL(Deno.env.get("DATABASE_URL")!);
  url.pathname = `/${name}`;
  return url.toString();
}
