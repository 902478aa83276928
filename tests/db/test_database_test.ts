/** The test database itself: templates made once, copies kept apart, no test silently skipped. */
import assert from "node:assert/strict";
import { FX_DESK_USER_ID } from "../../domain/fx_positions.ts";
import { readMigrations } from "../../db/migrate.ts";
import { bankTest } from "../support/app.ts";
import { testDatabase, withIsolatedDatabase } from "../support/database.ts";
import { templateName } from "../support/embedded_snapshot.ts";

Deno.test("a migrated template is named by every migration's checksum", async () => {
  const files = await readMigrations();
  const edited = files.map((file, i) => i === files.length - 1 ? { ...file, checksum: "0" } : file);
  const name = await templateName("migrated", files);
  assert.notEqual(await templateName("migrated", edited), name);
  assert.notEqual(await templateName("migrated", files.slice(0, -1)), name);
  assert.notEqual(await templateName("initialised", files), name);
  assert.equal(await templateName("migrated", files), name);
});

bankTest("an isolated database starts migrated and empty, and its writes stay in it", async () => {
  const marker = `isolated-${crypto.randomUUID()}`;
  await withIsolatedDatabase(async (sql) => {
    const applied = await sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`;
    assert.deepEqual(applied.map((row) => row.name), (await readMigrations()).map((f) => f.name));
    // No customer: the one user is the bank's own FX desk (migrations/0014_fx.sql).
    assert.equal((await sql`SELECT 1 FROM users WHERE id <> ${FX_DESK_USER_ID}`).length, 0);
    await sql`INSERT INTO schema_migrations (name, checksum) VALUES (${marker}, 'x')`;
  });
  await withIsolatedDatabase(async (sql) => {
    assert.equal((await sql`SELECT 1 FROM schema_migrations WHERE name = ${marker}`).length, 0);
  });
  const { sql } = await testDatabase();
  assert.equal((await sql`SELECT 1 FROM schema_migrations WHERE name = ${marker}`).length, 0);
});

bankTest("an unmigrated isolated database has no tables at all", async () => {
  await withIsolatedDatabase(async (sql) => {
    const tables = await sql`SELECT 1 FROM pg_tables WHERE schemaname = 'public'`;
    assert.equal(tables.length, 0);
  }, { migrated: false });
});

Deno.test("no test returns early on the embedded database: it is ignored, with its reason", async () => {
  const offenders: string[] = [];
  for await (const path of testFiles(new URL("../", import.meta.url))) {
    const lines = (await Deno.readTextFile(path)).split("\n");
    lines.forEach((line, i) => {
      if (/if \(!?(onRealPostgres\(\)|[\w.]*embedded)\) return;/.test(line)) {
        offenders.push(`${path.pathname}:${i + 1}`);
      }
    });
  }
  assert.deepEqual(offenders, []);
});

async function* testFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* testFiles(new URL(`${entry.name}/`, dir));
    else if (entry.name.endsWith(".ts")) yield new URL(entry.name, dir);
  }
}
