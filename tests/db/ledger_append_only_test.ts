/** The ledger is append-only in the database itself, whoever connects. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { fundedAccount, signUp } from "../support/client.ts";

async function oneEntry() {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "10");
  const [row] = await sql<{ id: string }[]>`
    SELECT id FROM transactions WHERE to_account_id = ${account.id}`;
  return { sql, id: row.id };
}

bankTest("UPDATE of a ledger row is refused by the database", async () => {
  const { sql, id } = await oneEntry();
  await assert.rejects(
    sql`UPDATE transactions SET amount = 1000000 WHERE id = ${id}`,
    (error: { code?: string; message: string }) => {
      assert.equal(error.code, "42501");
      assert.match(error.message, /append-only/);
      return true;
    },
  );
  const [row] = await sql<{ amount: bigint }[]>`SELECT amount FROM transactions WHERE id = ${id}`;
  assert.equal(row.amount, 1000n);
});

bankTest("DELETE of a ledger row is refused by the database", async () => {
  const { sql, id } = await oneEntry();
  await assert.rejects(sql`DELETE FROM transactions WHERE id = ${id}`, /append-only/);
  const rows = await sql`SELECT 1 FROM transactions WHERE id = ${id}`;
  assert.equal(rows.length, 1);
});

bankTest("TRUNCATE of the ledger is refused by the database", async () => {
  const { sql } = await oneEntry();
  await assert.rejects(sql`TRUNCATE transactions CASCADE`, /append-only/);
});

bankTest(
  "a negative balance is refused by the database even if the application tried",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "10");
    await assert.rejects(
      sql`UPDATE accounts SET balance = -1 WHERE id = ${account.id}`,
      (error: { code?: string }) => error.code === "23514",
    );
  },
);

bankTest("a ledger row with a zero amount is refused by the database", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "10");
  await assert.rejects(
    sql`
      INSERT INTO transactions (type, to_account_id, amount, currency, status, to_balance_after,
                                initiated_by, created_at)
      VALUES ('deposit', ${account.id}, 0, 'ZAR', 'approved', 1000, ${customer.id}, now())`,
    (error: { code?: string }) => error.code === "23514",
  );
});
