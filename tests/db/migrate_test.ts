import assert from "node:assert/strict";
import type { Sql } from "../../db/client.ts";
import { migrate, readMigrations } from "../../db/migrate.ts";
import { bankTest } from "../support/app.ts";
import { connectTestDatabase, onRealPostgres, withIsolatedDatabase } from "../support/database.ts";

// Deno Deploy starts as many instances as it likes, each migrating at start-up.
const INSTANCES = 6;

/** One client per instance on PostgreSQL; the embedded database takes one connection only. */
function instanceClients(sql: Sql, url: string): Sql[] {
  if (!onRealPostgres()) return Array.from({ length: INSTANCES }, () => sql);
  return Array.from({ length: INSTANCES }, () => connectTestDatabase(url, { max: 1 }));
}

bankTest("migrate applies nothing twice", async () => {
  await withIsolatedDatabase(async (sql) => {
    assert.deepEqual(await migrate(sql), []);
    const rows = await sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`;
    assert.deepEqual(
      rows.map((row) => row.name),
      (await readMigrations()).map((file) => file.name),
    );
  });
});

bankTest("migrate refuses a migration edited after it was applied", async () => {
  await withIsolatedDatabase(async (sql) => {
    const files = await readMigrations();
    const edited = files.map((file, i) => i === 0 ? { ...file, checksum: "0".repeat(64) } : file);
    await assert.rejects(migrate(sql, edited), /was edited after it was applied/);
  });
});

bankTest("migrate refuses when an applied migration is missing from disk", async () => {
  await withIsolatedDatabase(async (sql) => {
    const files = await readMigrations();
    await assert.rejects(migrate(sql, files.slice(1)), /is missing from migrations/);
  });
});

bankTest("concurrent migrate calls on a fresh database apply each migration once", async () => {
  await withIsolatedDatabase(async (sql) => {
    await sql.unsafe("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    const results = await Promise.all([migrate(sql), migrate(sql), migrate(sql)]);
    const applied = results.flat().sort();
    assert.deepEqual(applied, (await readMigrations()).map((file) => file.name));
  });
});

bankTest(
  "migrate started by several instances at once applies each file exactly once",
  async () => {
    await withIsolatedDatabase(async (sql, url) => {
      const files = await readMigrations();
      const clients = instanceClients(sql, url);
      try {
        const results = await Promise.all(clients.map((client) => migrate(client)));
        const appliers = results.filter((applied) => applied.length > 0);
        assert.equal(appliers.length, 1, `applied by ${appliers.length} instances`);
        assert.deepEqual(appliers[0], files.map((file) => file.name));
        const recorded = await sql<{ name: string }[]>`
        SELECT name FROM schema_migrations ORDER BY name`;
        assert.deepEqual(recorded.map((row) => row.name), files.map((file) => file.name));
      } finally {
        if (onRealPostgres()) await Promise.all(clients.map((client) => client.end()));
      }
    }, { migrated: false });
  },
);
