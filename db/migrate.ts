/**
 * Applies the SQL files in migrations/ in name order, once each, recorded with a checksum.
 * Every pending file runs in one transaction under a lock (advisory, and a row lock where advisory
 * locks do nothing), so instances starting together apply each migration exactly once; an applied
 * file that was edited is an error.
 */
import type { Sql } from "./client.ts";

const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);
// An arbitrary constant naming this lock; any other use of advisory locks must avoid it.
const MIGRATION_LOCK_KEY = 7_210_424_001;

/** A migration file: its name (e.g. 0001_core_bank.sql), SQL text and SHA-256 checksum. */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads migrations/*.sql beside this module, sorted by name. */
export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".sql")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ name: entry.name, sql: text, checksum: await sha256Hex(text) });
  }
  return migrations.sort((a, b) => a.name.localeCompare(b.name));
}

/** Applies pending migrations; returns the names applied. Throws if an applied one was edited. */
export async function migrate(sql: Sql, migrations?: Migration[]): Promise<string[]> {
  const files = migrations ?? await readMigrations();
  return await sql.begin(async (tx) => {
    // Not request work: a long DDL, or the wait behind another instance's migrations, must not
    // hit the per-connection statement timeout (db/client.ts). LOCAL, so it ends with this
    // transaction and holds on a transaction-mode pooler's borrowed connection too.
    await tx`SET LOCAL statement_timeout = 0`;
    // Two locks, for two databases: PostgreSQL's advisory lock also covers the first CREATE TABLE
    // below, and a row lock on schema_migrations_lock is real where advisory locks are no-ops
    // (CockroachDB). A second instance waits on either until the first commits, then sees its work.
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
    await tx`
      CREATE TABLE IF NOT EXISTS schema_migrations_lock (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton)
      )`;
    await tx`INSERT INTO schema_migrations_lock DEFAULT VALUES ON CONFLICT DO NOTHING`;
    await tx`SELECT singleton FROM schema_migrations_lock FOR UPDATE`;
    const applied = new Map(
      (await tx<{ name: string; checksum: string }[]>`SELECT name, checksum FROM schema_migrations`)
        .map((row) => [row.name, row.checksum]),
    );
    for (const [name] of applied) {
      if (!files.some((file) => file.name === name)) {
        throw new Error(`Cannot migrate: applied migration ${name} is missing from migrations/`);
      }
    }
    const done: string[] = [];
    for (const file of files) {
      const checksum = applied.get(file.name);
      if (checksum !== undefined) {
        if (checksum !== file.checksum) {
          throw new Error(
            `Cannot migrate: ${file.name} was edited after it was applied (checksum differs); ` +
              "add a new migration instead",
          );
        }
        continue;
      }
      await tx.unsafe(file.sql);
      await tx`INSERT INTO schema_migrations (name, checksum) VALUES (${file.name}, ${file.checksum})`;
      done.push(file.name);
    }
    return done;
  });
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
