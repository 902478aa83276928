/** `deno task audit` reconciles balances with the ledger and catches a corrupted database. */
import assert from "node:assert/strict";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import { appOver, bankTest } from "../support/app.ts";
import { onRealPostgres, withIsolatedDatabase } from "../support/database.ts";
import { call, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";
import { fxPositionAccountId } from "../../domain/fx_positions.ts";
import type { Sql } from "../../db/client.ts";

async function bankWithActivity(sql: Sql) {
  const { app } = appOver(sql);
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

bankTest(
  "the audit proves FX per currency and reports a leg that does not match its quote",
  async () => {
    await withIsolatedDatabase(async (sql) => {
      const { app } = appOver(sql);
      const customer = await signUp(app);
      const zar = await fundedAccount(app, customer, "500");
      const usd = await openAccount(app, customer, "USD");
      const quote = await call<{ id: string; buy_amount: string }>(app, "POST", "/fx/quotes", {
        token: customer.token,
        body: { from_currency: "ZAR", to_currency: "USD", sell_amount: "100.00" },
      });
      const sent = await transfer(app, customer, {
        from_account_id: zar.id,
        to_account_id: usd.id,
        amount: "100.00",
        fx_quote_id: quote.body.id,
      });
      assert.equal(sent.status, 201);
      const clean = await auditDatabase(sql, { realNow: new Date() });
      assert.deepEqual(clean.findings, []);
      assert.deepEqual(
        clean.currencies.filter((row) => row.fxPosition !== "0").map((row) => [
          row.currency,
          row.fxPosition,
        ]),
        [["USD", "-568"], ["ZAR", "10000"]],
      );
      // A second destination leg's worth paid out of the USD position, outside any FX transfer.
      const [leg] = await sql<{ id: string; toBalanceAfter: bigint }[]>`
      SELECT id, to_balance_after FROM transactions
      WHERE fx_quote_id = ${quote.body.id} AND fx_leg = 'destination'`;
      await sql`
      INSERT INTO transactions (type, from_account_id, to_account_id, amount, currency, status,
        from_balance_after, to_balance_after, initiated_by, created_at)
      VALUES ('transfer', ${fxPositionAccountId("USD")}, ${usd.id}, 568, 'USD', 'approved', 0,
        ${leg.toBalanceAfter + 568n}, ${customer.id}, now())`;
      const report = await auditDatabase(sql, { realNow: new Date() });
      assert.ok(
        report.findings.some((finding) => finding.check === "fx_transfer_has_its_legs"),
        formatAuditReport(report),
      );
    });
  },
);
