/** The transaction every money movement runs in: SERIALIZABLE, whole, and cleaned up on failure. */
import assert from "node:assert/strict";
import { connectDatabase } from "../../db/client.ts";
import { serializable } from "../../db/serializable.ts";
import { bankTest } from "../support/app.ts";
import { testDatabase } from "../support/database.ts";

bankTest("every statement of the work runs in one SERIALIZABLE transaction", async () => {
  const { sql } = await testDatabase();
  const seen = await serializable(sql, async (tx) => {
    const [first] = await tx<{ isolation: string; xact: string }[]>`
      SELECT current_setting('transaction_isolation') AS isolation,
             pg_current_xact_id()::text AS xact`;
    const [second] = await tx<{ xact: string }[]>`SELECT pg_current_xact_id()::text AS xact`;
    return { isolation: first.isolation, xacts: [first.xact, second.xact] };
  });
  assert.equal(seen.isolation, "serializable");
  assert.equal(seen.xacts[0], seen.xacts[1]);
});

bankTest("a failed transaction leaves nothing behind and its connection clean", async () => {
  const shared = await testDatabase();
  // One connection, so the next query must run on the very connection the failure used (the
  // embedded database's shared pool already has exactly one, and takes no second client).
  const sql = shared.embedded ? shared.sql : connectDatabase(shared.url, { max: 1 });
  const marker = `rolled-back-${crypto.randomUUID()}`;
  try {
    await assert.rejects(
      serializable(sql, async (tx) => {
        await tx`CREATE TEMP TABLE IF NOT EXISTS scratch (note text)`;
        await tx`INSERT INTO scratch VALUES (${marker})`;
        throw new Error("the work failed");
      }),
      /the work failed/,
    );
    const [state] = await sql<{ isolation: string; inTransaction: boolean }[]>`
      SELECT current_setting('transaction_isolation') AS isolation,
             pg_current_xact_id_if_assigned() IS NOT NULL AS in_transaction`;
    assert.deepEqual(state, { isolation: "read committed", inTransaction: false });
    const [{ exists }] = await sql<{ exists: boolean }[]>`
      SELECT to_regclass('pg_temp.scratch') IS NOT NULL AS exists`;
    assert.equal(exists, false, "the temp table was rolled back with the transaction");
  } finally {
    if (!shared.embedded) await sql.end();
  }
});
