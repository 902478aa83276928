/** The transaction every money movement runs in: SERIALIZABLE, whole, and cleaned up on failure. */
import assert from "node:assert/strict";
import { REQUEST_TIMEOUT_MS } from "../../app.ts";
import { QUEUE_WAIT_MS_MAX } from "../../db/account_queue.ts";
import type { Sql, Tx } from "../../db/client.ts";
import { isConnectionFailure } from "../../db/connection_failures.ts";
import {
  elapsedMs,
  HUNG_TRANSACTION_GRACE_MS,
  serializable,
  TRANSACTION_BUDGET_MS,
  TransactionHung,
} from "../../db/serializable.ts";
import { UnavailableError } from "../../domain/errors.ts";
import { deposit } from "../../db/movements.ts";
import { bankTest } from "../support/app.ts";
import { customerWithAccounts } from "../support/movements.ts";
import { connectTestDatabase, testDatabase } from "../support/database.ts";

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
  const sql = shared.embedded ? shared.sql : connectTestDatabase(shared.url, { max: 1 });
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

bankTest("a transaction that outlives its budget rolls back instead of committing", async () => {
  const { sql } = await testDatabase();
  await sql`CREATE TABLE IF NOT EXISTS serializable_budget_probe (marker text NOT NULL)`;
  const marker = crypto.randomUUID();
  await assert.rejects(
    serializable(sql, async (tx) => {
      await tx`INSERT INTO serializable_budget_probe VALUES (${marker})`;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }, 100),
    (error) => error instanceof UnavailableError && /nothing was posted/.test(error.message),
  );
  const rows = await sql`SELECT 1 FROM serializable_budget_probe WHERE marker = ${marker}`;
  assert.equal(rows.length, 0);
});

bankTest(
  "a transaction the database does not answer is given up after its budget: nothing was posted",
  async () => {
    const { sql } = await testDatabase();
    await sql`CREATE TABLE IF NOT EXISTS serializable_budget_probe (marker text NOT NULL)`;
    const marker = crypto.randomUUID();
    // A statement that never answers, as one on a connection that died unnoticed (failover).
    let answer = () => {};
    const unanswered = new Promise<void>((resolve) => (answer = resolve));
    let workEnded = () => {};
    const ended = new Promise<void>((resolve) => (workEnded = resolve));
    const budgetMs = 50;
    const started = elapsedMs();
    const given = serializable(sql, async (tx) => {
      await tx`INSERT INTO serializable_budget_probe VALUES (${marker})`;
      await unanswered;
      workEnded();
    }, budgetMs);
    // Without the give-up it would wait for ever: fail instead, well after the grace.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stillWaiting = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("still waiting")), 5 * HUNG_TRANSACTION_GRACE_MS);
    });
    await assert.rejects(
      Promise.race([given, stillWaiting]).finally(() => clearTimeout(timer)),
      (error) => error instanceof UnavailableError && /nothing was posted/.test(error.message),
    );
    const waitedMs = elapsedMs() - started;
    assert.ok(waitedMs >= budgetMs + HUNG_TRANSACTION_GRACE_MS - 5, `gave up at ${waitedMs} ms`);
    // The statement answers at last: the work ends past its budget, so it rolls back (given a
    // moment for the ROLLBACK to go out; a COMMIT would have gone out as fast).
    answer();
    await ended;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = await sql`SELECT 1 FROM serializable_budget_probe WHERE marker = ${marker}`;
    assert.equal(rows.length, 0);
  },
);

bankTest("a COMMIT the database does not answer is given up as an unknown outcome", async () => {
  // A stand-in for postgres.js: the work runs, then its COMMIT is never answered.
  const sql = {
    begin: async (_mode: string, work: (tx: Tx) => Promise<unknown>) => {
      await work({} as Tx);
      return await new Promise(() => {});
    },
  } as unknown as Sql;
  const started = elapsedMs();
  await assert.rejects(
    serializable(sql, () => Promise.resolve("posted"), 20),
    (error) => error instanceof TransactionHung && isConnectionFailure(error),
  );
  assert.ok(elapsedMs() - started >= 20 + HUNG_TRANSACTION_GRACE_MS - 5);
});

bankTest("a movement's longest queue wait and budget end before the request times out", () => {
  // The request timeout answers 503 "retry": by then the movement must have given up for good.
  const marginMs = 1_000;
  assert.ok(QUEUE_WAIT_MS_MAX + TRANSACTION_BUDGET_MS + marginMs <= REQUEST_TIMEOUT_MS);
  return Promise.resolve();
});

bankTest("a deposit past its request's commit deadline rolls back and posts nothing", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [account] } = await customerWithAccounts(sql, 1, "0");
  await assert.rejects(
    deposit(sql, {
      userId,
      accountId: account,
      amount: "5",
      description: null,
      realNow: new Date(),
    }, {
      commitBy: elapsedMs() - 1,
    }),
    (error) => error instanceof UnavailableError && /nothing was posted/.test(error.message),
  );
  const rows = await sql`SELECT 1 FROM transactions WHERE to_account_id = ${account}`;
  assert.equal(rows.length, 0);
});

bankTest(
  "a statement left in flight commits with the COMMIT behind it; one that fails rolls all back",
  async () => {
    const { sql } = await testDatabase();
    const table = `scratch_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await sql.unsafe(`CREATE TABLE ${table} (note text PRIMARY KEY)`);
    const insert = (tx: Tx, note: string) =>
      tx.unsafe(`INSERT INTO ${table} VALUES ($1)`, [note]).then(() => {});
    const notes = async () =>
      (await sql.unsafe<{ note: string }[]>(`SELECT note FROM ${table} ORDER BY note`))
        .map((row) => row.note);
    try {
      const answer = await serializable(sql, (tx, inFlight) => {
        inFlight(insert(tx, "a"));
        return Promise.resolve("committed");
      });
      assert.equal(answer, "committed");
      assert.deepEqual(await notes(), ["a"]);
      // The duplicate fails after the work has returned: PostgreSQL answers the COMMIT behind it
      // with a rollback, which takes "b" too, and the failure is serializable()'s own.
      await assert.rejects(
        serializable(sql, async (tx, inFlight) => {
          await insert(tx, "b");
          inFlight(insert(tx, "a"));
          return "never";
        }),
        (error: { code?: string }) => error.code === "23505",
      );
      assert.deepEqual(await notes(), ["a"]);
    } finally {
      await sql.unsafe(`DROP TABLE ${table}`);
    }
  },
);
