/**
 * The database the tests run against: PostgreSQL at DATABASE_URL when set (CI gives each run a
 * fresh one), else an embedded PGlite started on a copy of a migrated data directory made once
 * (tests/support/embedded_snapshot.ts). Each test file runs in its own isolate, so each file
 * gets its own database; the copy costs a fraction of a fresh initdb and migration.
 */
import { loadConfig } from "../../config.ts";
import { connectDatabase, type ConnectOptions, type Sql } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { startFromTemplate } from "./embedded_snapshot.ts";

/**
 * Opens a pool on real PostgreSQL the way the app would: through the pooler DATABASE_POOLER names
 * (CI runs the suite a second time through PgBouncer in transaction mode).
 */
export function connectTestDatabase(url: string, options: Omit<ConnectOptions, "pooler">): Sql {
  return connectDatabase(url, { ...options, pooler: loadConfig().databasePooler });
}

/**
 * True when the tests run through a transaction-mode pooler (DATABASE_POOLER=transaction): there a
 * session's state (temporary tables, plain SET, LISTEN) does not outlive its transaction.
 */
export function throughTransactionPooler(): boolean {
  return loadConfig().databasePooler === "transaction";
}

let shared: Promise<{ sql: Sql; url: string; embedded: boolean }> | undefined;

/** The test process's database, migrated; every test makes its own users and accounts in it. */
export function testDatabase(): Promise<{ sql: Sql; url: string; embedded: boolean }> {
  shared ??= (async () => {
    const url = Deno.env.get("DATABASE_URL");
    if (url) {
      const sql = connectTestDatabase(url, { max: 20 });
      await migrate(sql);
      return { sql, url, embedded: false };
    }
    const server = await startFromTemplate(true);
    const sql = connectDatabase(server.url, { max: 1, idleTimeoutSeconds: 0 });
    return { sql, url: server.url, embedded: true };
  })();
  return shared;
}

/** True when the tests run on real PostgreSQL (concurrency tests need it to mean anything). */
export function onRealPostgres(): boolean {
  return Boolean(Deno.env.get("DATABASE_URL"));
}

/**
 * A brand-new, migrated database of its own, for tests that must see a whole database (the
 * audit) or damage one. On PostgreSQL it is created beside DATABASE_URL's and dropped after.
 * `migrated: false` hands it over empty, for tests of the migrations themselves.
 */
export async function withIsolatedDatabase(
  fn: (sql: Sql, url: string) => Promise<void>,
  options: { migrated?: boolean } = {},
): Promise<void> {
  const migrated = options.migrated ?? true;
  const url = Deno.env.get("DATABASE_URL");
  if (!url) {
    const server = await startFromTemplate(migrated);
    const sql = connectDatabase(server.url, { max: 1, idleTimeoutSeconds: 0 });
    try {
      await fn(sql, server.url);
    } finally {
      await sql.end();
      await server.stop();
    }
    return;
  }
  const name = `bank_isolated_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = connectTestDatabase(url, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const isolatedUrl = new URL(url);
  isolatedUrl.pathname = `/${name}`;
  const sql = connectTestDatabase(isolatedUrl.toString(), { max: 4 });
  try {
    if (migrated) await migrate(sql);
    await fn(sql, isolatedUrl.toString());
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
