/** The abuse-limit counters: one statement per hit, so parallel hits each see their own count. */
import assert from "node:assert/strict";
import { countHits, purgeEndedRateCounters, refundHits } from "../../db/rate_counters.ts";
import { bankTest } from "../support/app.ts";
import { connectTestDatabase, testDatabase, withIsolatedDatabase } from "../support/database.ts";

const key = () => ({ rule: "test_rule", subject: crypto.randomUUID(), windowSeconds: 60 });

bankTest("countHits gives 50 parallel hits on one key the counts 1 to 50, each once", async () => {
  const { sql } = await testDatabase();
  const counted = key();
  const now = new Date();
  const counts = await Promise.all(
    Array.from({ length: 50 }, () => countHits(sql, [counted], now)),
  );
  const hits = counts.map(([count]) => count.hits).sort((a, b) => a - b);
  assert.deepEqual(hits, Array.from({ length: 50 }, (_, i) => i + 1));
});

bankTest("countHits starts a new window once the old one has ended", async () => {
  const { sql } = await testDatabase();
  const counted = key();
  const start = new Date();
  await countHits(sql, [counted], start);
  const [second] = await countHits(sql, [counted], new Date(start.getTime() + 59_000));
  assert.equal(second.hits, 2);
  const later = new Date(start.getTime() + 60_000);
  const [fresh] = await countHits(sql, [counted], later);
  assert.equal(fresh.hits, 1);
  assert.equal(fresh.windowEndsAt.getTime(), later.getTime() + 60_000);
});

bankTest(
  "refundHits takes one hit back and purgeEndedRateCounters drops ended windows",
  async () => {
    const { sql } = await testDatabase();
    const counted = key();
    const now = new Date();
    await countHits(sql, [counted], now);
    await countHits(sql, [counted], now);
    await refundHits(sql, [counted]);
    const [after] = await countHits(sql, [counted], now);
    assert.equal(after.hits, 2);
    await purgeEndedRateCounters(sql, new Date(now.getTime() + 61_000));
    const rows = await sql`SELECT 1 FROM rate_counters WHERE subject = ${counted.subject}`;
    assert.equal(rows.length, 0);
  },
);

bankTest(
  "countHits works as the very first query of a fresh pool (right after a restart)",
  async () => {
    // A database of its own: its pool is never used here, so on the embedded database (one
    // connection) the fresh pool gets the connection, and on PostgreSQL it is a new client.
    await withIsolatedDatabase(async (_unused, url) => {
      const fresh = connectTestDatabase(url, { max: 1, idleTimeoutSeconds: 0 });
      try {
        const [count] = await countHits(fresh, [key()], new Date());
        assert.equal(count.hits, 1);
      } finally {
        await fresh.end();
      }
    });
  },
);
