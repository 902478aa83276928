/**
 * Group commit (db/transfers.ts): transfers queued together commit in one transaction, and each is
 * decided as if it had run alone after the ones before it: balances, the velocity window and the
 * daily outflow all count the transfers ahead of it in its group. One that fails on its own leaves
 * the group; none is posted after its client could have been told to retry.
 */
import assert from "node:assert/strict";
import type { MovementResult } from "../../db/movements.ts";
import type { Sql } from "../../db/client.ts";
import { placeHold } from "../../db/holds.ts";
import { deposit } from "../../db/movements.ts";
import { groupStats, transfer } from "../../db/transfers.ts";
import { elapsedMs } from "../../db/serializable.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { bankTest } from "../support/app.ts";
import { onRealPostgres, testDatabase } from "../support/database.ts";
import { customerWithAccounts, permissiveRules, transferCommand } from "../support/movements.ts";

/** Runs `transfers` at once and reports how many groups committed them. */
async function together<T>(transfers: (() => Promise<T>)[]) {
  const groupsBefore = groupStats.groupsCommitted;
  const results = await Promise.allSettled(transfers.map((run) => run()));
  return { results, groups: groupStats.groupsCommitted - groupsBefore };
}

function fulfilled(results: PromiseSettledResult<MovementResult>[]): MovementResult[] {
  return results.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
}

function reasons(results: MovementResult[]): string[] {
  return results.map(({ verdict }) => verdict.approved ? "approved" : verdict.reason);
}

/** Another session locks the account FOR UPDATE until the returned function is called. */
async function holdAccountLock(sql: Sql, accountId: string): Promise<() => Promise<void>> {
  const locker = await sql.reserve();
  await locker`BEGIN`;
  // Another client's session, not the app's: it sits idle holding the lock for longer than the
  // app's idle-in-transaction timeout (db/client.ts) would let one of the app's own sessions.
  await locker`SET LOCAL idle_in_transaction_session_timeout = 0`;
  await locker`SELECT id FROM accounts WHERE id = ${accountId} FOR UPDATE`;
  return async () => {
    await locker`ROLLBACK`;
    locker.release();
  };
}

bankTest(
  "transfers queued together commit in fewer transactions, each with its own balance after",
  async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "100");
    const { results, groups } = await together(
      Array.from({ length: 20 }, () => () => transfer(sql, transferCommand(userId, from, to, "1"))),
    );
    assert.deepEqual(reasons(fulfilled(results)), Array(20).fill("approved"));
    assert.ok(groups < 20, `20 transfers committed in ${groups} transactions`);
    const rows = await sql<{ fromBalanceAfter: bigint; toBalanceAfter: bigint }[]>`
      SELECT from_balance_after, to_balance_after FROM transactions
      WHERE from_account_id = ${from} ORDER BY seq`;
    assert.deepEqual(
      rows.map((row) => [row.fromBalanceAfter, row.toBalanceAfter]),
      Array.from(
        { length: 20 },
        (_, i) => [100_00n - 100n * BigInt(i + 1), 100_00n + 100n * BigInt(i + 1)],
      ),
      "each ledger row records the balances it left, in order",
    );
    const balances = await sql<{ id: string; balance: bigint }[]>`
      SELECT id, balance FROM accounts WHERE id IN (${from}, ${to}) ORDER BY balance`;
    assert.deepEqual(balances.map((row) => row.balance), [80_00n, 120_00n]);
  },
);

bankTest("in a group, a transfer cannot spend what one before it spent", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "10");
  const { results, groups } = await together(
    Array.from({ length: 5 }, () => () => transfer(sql, transferCommand(userId, from, to, "3"))),
  );
  const decided = reasons(fulfilled(results)).sort();
  assert.deepEqual(decided, [
    "approved",
    "approved",
    "approved",
    "insufficient_funds",
    "insufficient_funds",
  ]);
  assert.ok(groups < 5, `5 transfers committed in ${groups} transactions`);
  const [row] = await sql<{ balance: bigint }[]>`SELECT balance FROM accounts WHERE id = ${from}`;
  assert.equal(row.balance, 1_00n);
});

bankTest("in a group, the velocity rule counts the transfers approved before it", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "100");
  const rules = createFraudRules({
    maxTransferAmount: "150000",
    maxTransfers: 5,
    windowSeconds: 60,
  });
  const { results, groups } = await together(
    Array.from(
      { length: 8 },
      () => () => transfer(sql, transferCommand(userId, from, to, "1", rules)),
    ),
  );
  const decided = reasons(fulfilled(results));
  assert.equal(decided.filter((reason) => reason === "approved").length, 5);
  assert.equal(decided.filter((reason) => reason === "velocity_limit").length, 3);
  assert.ok(groups < 8, `8 transfers committed in ${groups} transactions`);
});

bankTest("in a group, the daily outflow rule sums the transfers approved before it", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "100");
  const rules = createFraudRules({
    maxTransferAmount: "150000",
    maxTransfers: 100,
    windowSeconds: 60,
    dailyOutflowLimit: "10",
  });
  const { results, groups } = await together(
    Array.from(
      { length: 4 },
      () => () => transfer(sql, transferCommand(userId, from, to, "3", rules)),
    ),
  );
  const decided = reasons(fulfilled(results)).sort();
  assert.deepEqual(decided, ["approved", "approved", "approved", "daily_outflow_limit"]);
  assert.ok(groups < 4, `4 transfers committed in ${groups} transactions`);
});

bankTest("a transfer failing on its own leaves its group, and the others post once", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "100");
  const stranger = await customerWithAccounts(sql, 1, "100");
  const hookFailure = new Error("the hook refused");
  const { results } = await together([
    ...Array.from({ length: 3 }, () => () => transfer(sql, transferCommand(userId, from, to, "1"))),
    // Not the caller's account: a 404 for this one alone.
    () => transfer(sql, transferCommand(userId, stranger.accounts[0], to, "1")),
    // Its hook throws after every write: the group rolls back and runs again without it. It
    // would leave R2, so the transfers after it are decided again, not kept as first decided.
    () =>
      transfer(sql, transferCommand(userId, from, to, "95"), {
        onRecorded: () => Promise.reject(hookFailure),
      }),
    ...Array.from({ length: 3 }, () => () => transfer(sql, transferCommand(userId, from, to, "1"))),
  ]);
  assert.deepEqual(results.map((result) => result.status), [
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "rejected",
    "rejected",
    "fulfilled",
    "fulfilled",
    "fulfilled",
  ]);
  assert.equal((results[3] as PromiseRejectedResult).reason.code, "not_found");
  assert.equal((results[4] as PromiseRejectedResult).reason, hookFailure);
  const rows = await sql<{ amount: bigint }[]>`
    SELECT amount FROM transactions WHERE from_account_id IN (${from}, ${stranger.accounts[0]})`;
  assert.deepEqual(
    rows.map((row) => row.amount),
    Array(6).fill(1_00n),
    "six R1 rows, nothing else",
  );
  const [row] = await sql<{ balance: bigint }[]>`SELECT balance FROM accounts WHERE id = ${from}`;
  assert.equal(row.balance, 94_00n);
});

bankTest("in a group, money received by one transfer can be sent on by the next", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [a, b, c, busyFrom, busyTo] } = await customerWithAccounts(
    sql,
    5,
    "0",
  );
  await deposit(sql, {
    userId,
    accountId: a,
    amount: "10",
    description: null,
    realNow: new Date(),
  });
  await deposit(sql, {
    userId,
    accountId: busyFrom,
    amount: "1",
    description: null,
    realNow: new Date(),
  });
  const { results } = await together([
    // Keeps the database busy, so the two after it queue and go together.
    () => transfer(sql, transferCommand(userId, busyFrom, busyTo, "1")),
    () => transfer(sql, transferCommand(userId, a, b, "10")),
    () => transfer(sql, transferCommand(userId, b, c, "10")),
  ]);
  assert.deepEqual(reasons(fulfilled(results)), ["approved", "approved", "approved"]);
  const balances = await sql<{ id: string; balance: bigint }[]>`
    SELECT id, balance FROM accounts WHERE id IN (${a}, ${b}, ${c})`;
  const byId = Object.fromEntries(balances.map((row) => [row.id, row.balance]));
  assert.deepEqual([byId[a], byId[b], byId[c]], [0n, 0n, 10_00n]);
});

bankTest("in a group, each transfer sees the holds unexpired at its own time", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [from, to, busyFrom, busyTo] } = await customerWithAccounts(
    sql,
    4,
    "10",
  );
  const placedAt = new Date();
  await placeHold(sql, {
    userId,
    accountId: from,
    amount: "8",
    description: null,
    expiresInSeconds: 60,
    realNow: placedAt,
    ...permissiveRules,
  });
  const at = (seconds: number) => new Date(placedAt.getTime() + seconds * 1000);
  const { results } = await together([
    () => transfer(sql, transferCommand(userId, busyFrom, busyTo, "1")),
    // A second before the hold expires R2 is available; a second after, R10.
    () => transfer(sql, { ...transferCommand(userId, from, to, "5"), realNow: at(59) }),
    () => transfer(sql, { ...transferCommand(userId, from, to, "5"), realNow: at(61) }),
  ]);
  assert.deepEqual(reasons(fulfilled(results)), ["approved", "insufficient_funds", "approved"]);
});

bankTest(
  "a statement the database refuses for one transfer fails that transfer alone",
  async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [from, to, busyFrom, busyTo] } = await customerWithAccounts(
      sql,
      4,
      "10",
    );
    const { results } = await together([
      () => transfer(sql, transferCommand(userId, busyFrom, busyTo, "1")),
      () => transfer(sql, transferCommand(userId, from, to, "1")),
      // A lone surrogate: its event's jsonb is refused (the API answers 400 before this point).
      () => transfer(sql, { ...transferCommand(userId, from, to, "1"), description: "\ud800" }),
      () => transfer(sql, transferCommand(userId, from, to, "1")),
    ]);
    assert.deepEqual(results.map((result) => result.status), [
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    const [row] = await sql<{ balance: bigint }[]>`SELECT balance FROM accounts WHERE id = ${from}`;
    assert.equal(row.balance, 8_00n);
  },
);

bankTest(
  "a group whose COMMIT may have been sent is never run again, whatever the error",
  async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "10");
    // A driver that commits, then reports a socket error of a kind no list names.
    const lostReply = Object.assign(new Error("read EPROTO"), { code: "EPROTO" });
    const committingThenFailing = {
      begin: async (mode: string, work: (tx: unknown) => Promise<unknown>) => {
        await sql.begin(mode, work as never);
        throw lostReply;
      },
    } as unknown as Sql;
    const { results } = await together(
      Array.from(
        { length: 3 },
        () => () => transfer(committingThenFailing, transferCommand(userId, from, to, "1")),
      ),
    );
    assert.deepEqual(results.map((result) => result.status), ["rejected", "rejected", "rejected"]);
    const rows = await sql`SELECT 1 FROM transactions WHERE from_account_id = ${from}`;
    assert.equal(rows.length, 3, "each transfer posted once: the outcome was unknown, not retried");
  },
);

bankTest(
  "a transfer past its request's commit deadline is answered 503 and never posts",
  async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "10");
    await assert.rejects(
      transfer(sql, transferCommand(userId, from, to, "1"), { commitBy: elapsedMs() - 1 }),
      { code: "service_unavailable" },
    );
    const rows = await sql`SELECT 1 FROM transactions WHERE from_account_id = ${from}`;
    assert.equal(rows.length, 0);
  },
);

Deno.test({
  name: "a group held up past a transfer's request deadline rolls back instead of committing",
  ignore: !onRealPostgres(),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [from, to] } = await customerWithAccounts(sql, 2, "10");
    const release = await holdAccountLock(sql, from);
    const held = transfer(sql, transferCommand(userId, from, to, "1"), {
      commitBy: elapsedMs() + 200,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await release();
    await assert.rejects(held, (error: Error) => /nothing was posted/.test(error.message));
    const rows = await sql`SELECT 1 FROM transactions WHERE from_account_id = ${from}`;
    assert.equal(rows.length, 0, "the transfer decided after its deadline was rolled back");
  },
});

Deno.test({
  name: "a group stuck on a lock is given up after its budget; the transfer behind it posts once",
  // Needs a second session to hold the lock; the embedded database takes one connection.
  ignore: !onRealPostgres(),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [a, b, c, d] } = await customerWithAccounts(sql, 4, "100");
    // Another session holds account a's row: the group with a→b waits in the database.
    const release = await holdAccountLock(sql, a);
    const stuck = transfer(sql, transferCommand(userId, a, b, "1"))
      .then(() => "posted", (error) => error.message);
    // Queued well inside its wait: the stuck group is given up about 5 s after it began
    // (TRANSACTION_BUDGET_MS and HUNG_TRANSACTION_GRACE_MS), this one waits at most 5 s.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const behind = transfer(sql, transferCommand(userId, c, d, "1"))
      .then(() => "posted", (error) => error.code);
    const stuckOutcome = await stuck;
    const behindOutcome = await behind;
    await release();
    assert.match(stuckOutcome, /nothing was posted/, "the stuck one ran past its budget");
    assert.equal(behindOutcome, "posted", "the pipeline went on without waiting GROUP_STUCK_MS");
    const rows = await sql<{ from: string }[]>`
      SELECT from_account_id AS from FROM transactions
      WHERE from_account_id IN (${a}, ${c}) AND type = 'transfer'`;
    assert.deepEqual(rows.map((row) => row.from), [c], "only the one behind posted");
  },
});
