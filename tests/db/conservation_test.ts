/** Conservation: a mixed run of every kind of movement leaves the audit clean. */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import { processDue } from "../../db/clearing.ts";
import type { Sql } from "../../db/client.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testConfig } from "../support/app.ts";
import { call, type Customer, fundedAccount, signUp, transfer } from "../support/client.ts";
import { withIsolatedDatabase } from "../support/database.ts";
import { advanceClock, placeHold, sendPayment } from "../support/payments.ts";

function appOver(sql: Sql) {
  // Each customer sends a dozen outflows at once: the velocity rule is not under test here.
  const config = testConfig({ FRAUD_MAX_TRANSFERS: "100" });
  return createApp({
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
  });
}

const PAYEES = [
  "62001234567",
  "9999000001",
  "9999000002",
  "9999000003",
  "9999000004",
  "9999000009",
];

// One customer's share of the mix: every kind of movement, some refused, some concurrent.
async function mixedDay(app: ReturnType<typeof appOver>, me: Customer, peerAccount: string) {
  const main = await fundedAccount(app, me, "5000");
  const holds = await Promise.all([
    placeHold(app, me, main.id, { amount: "300" }),
    placeHold(app, me, main.id, { amount: "200", expires_in_seconds: 120 }),
    placeHold(app, me, main.id, { amount: "100" }),
  ]);
  const sent = await Promise.all([
    ...PAYEES.map((number) =>
      sendPayment(app, me, { from_account_id: main.id, amount: "150", counterpartyNumber: number })
    ),
    sendPayment(app, me, { from_account_id: main.id, amount: "999999" }),
    transfer(app, me, { from_account_id: main.id, to_account_id: peerAccount, amount: "75" }),
    transfer(app, me, { from_account_id: main.id, to_account_id: peerAccount, amount: "99999" }),
    call(app, "POST", `/accounts/${main.id}/withdraw`, { token: me.token, body: { amount: "40" } }),
    call(app, "POST", "/simulations/inbound_payments", {
      token: me.token,
      body: { account_number: main.account_number, amount: "60" },
    }),
    call(app, "POST", "/simulations/inbound_payments", {
      token: me.token,
      body: {
        account_number: main.account_number,
        amount: "60",
        counterparty: { name: "X", bank_code: "1", account_number: "9999000003" },
      },
    }),
  ]);
  await call(app, "POST", `/holds/${holds[0].body.id}/capture`, {
    token: me.token,
    body: { amount: "120" },
  });
  await call(app, "POST", `/holds/${holds[2].body.id}/void`, { token: me.token });
  const manual = sent[PAYEES.indexOf("9999000009")].body.id;
  await advanceClock(app, me, 3600);
  await call(app, "POST", `/simulations/payments/${manual}/return`, {
    token: me.token,
    body: { reason: "authorization_revoked" },
  });
}

bankTest("a mixed run of payments, holds and transfers leaves the audit clean", async () => {
  await withIsolatedDatabase(async (sql) => {
    const app = appOver(sql);
    const customers = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const peers = await Promise.all(customers.map((c) => fundedAccount(app, c, "10")));
    await Promise.all(
      customers.map((me, i) => mixedDay(app, me, peers[(i + 1) % peers.length].id)),
    );
    await processDue(sql, { realNow: new Date(Date.now() + 86_400_000) });
    const report = await auditDatabase(sql, { realNow: new Date() });
    assert.deepEqual(report.findings, [], formatAuditReport(report));
    const [{ kinds }] = await sql<{ kinds: bigint }[]>`
      SELECT count(DISTINCT type) AS kinds FROM transactions WHERE status = 'approved'`;
    assert.equal(kinds, 7n);
    const statuses = await sql<{ status: string }[]>`SELECT DISTINCT status FROM payments`;
    assert.deepEqual(statuses.map((row) => row.status).sort(), [
      "rejected",
      "returned",
      "settled",
    ]);
    const holdStatuses = await sql<{ status: string }[]>`SELECT DISTINCT status FROM holds`;
    assert.deepEqual(holdStatuses.map((row) => row.status).sort(), [
      "captured",
      "expired",
      "voided",
    ]);
  });
});

bankTest("the audit reports a returned payment whose money never came back", async () => {
  await withIsolatedDatabase(async (sql) => {
    const app = appOver(sql);
    const me = await signUp(app);
    const account = await fundedAccount(app, me, "100");
    const sent = await sendPayment(app, me, {
      from_account_id: account.id,
      amount: "10",
      counterpartyNumber: "9999000009",
    });
    await sql`
      UPDATE payments SET status = 'returned', return_reason = 'no_account', return_code = 'AC01',
        returned_at = now()
      WHERE id = ${sent.body.id}`;
    const report = await auditDatabase(sql, { realNow: new Date() });
    assert.deepEqual(report.findings.map((finding) => finding.check), [
      "payment_has_its_entries",
    ]);
  });
});

bankTest("the audit reports holds that reserve more than the balance", async () => {
  await withIsolatedDatabase(async (sql) => {
    const app = appOver(sql);
    const me = await signUp(app);
    const account = await fundedAccount(app, me, "100");
    await placeHold(app, me, account.id, { amount: "60" });
    await sql`UPDATE holds SET amount = 160 * 100 WHERE account_id = ${account.id}`;
    const report = await auditDatabase(sql, { realNow: new Date() });
    assert.deepEqual(report.findings.map((finding) => finding.check), ["holds_within_balance"]);
  });
});
