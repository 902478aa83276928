import assert from "node:assert/strict";
import {
  connectDatabase,
  IDLE_IN_TRANSACTION_TIMEOUT_MS,
  startupParameters,
  STATEMENT_TIMEOUT_MS,
} from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { onRealPostgres, testDatabase, withIsolatedDatabase } from "../support/database.ts";

// PGlite takes the settings but has no timers to enforce them, and reports them as 0.
const ignore = !onRealPostgres();

Deno.test({
  name: "every connection runs with the statement and idle-in-transaction timeouts",
  ignore,
  fn: async () => {
    const { sql } = await testDatabase();
    // Several at once, so they land on several connections (through a pooler, server connections).
    const rows = await Promise.all(Array.from({ length: 6 }, () =>
      sql.begin(async (tx) => {
        const [row] = await tx<{ statement: string; idle: string }[]>`
          SELECT current_setting('statement_timeout') AS statement,
            current_setting('idle_in_transaction_session_timeout') AS idle, pg_sleep(0.05)`;
        return row;
      })));
    for (const row of rows) {
      assert.deepEqual({ statement: row.statement, idle: row.idle }, {
        statement: `${STATEMENT_TIMEOUT_MS / 1000}s`,
        idle: `${IDLE_IN_TRANSACTION_TIMEOUT_MS / 1000}s`,
      });
    }
  },
});

Deno.test("behind a pooler the timeouts are not sent at start-up, which poolers refuse", () => {
  assert.deepEqual(startupParameters("none"), {
    application_name: "bank-api-sandbox",
    statement_timeout: String(STATEMENT_TIMEOUT_MS),
    idle_in_transaction_session_timeout: String(IDLE_IN_TRANSACTION_TIMEOUT_MS),
  });
  for (const pooler of ["session", "transaction"] as const) {
    assert.deepEqual(startupParameters(pooler), { application_name: "bank-api-sandbox" });
  }
});

Deno.test("only a transaction-mode pooler turns prepared statements off", async () => {
  // Nothing connects until a query is sent, so no database is needed to read the options.
  const url = "postgres://postgres@127.0.0.1:1/none";
  const prepare = async (pooler: "none" | "session" | "transaction") => {
    const sql = connectDatabase(url, { max: 1, pooler });
    const value = sql.options.prepare;
    await sql.end();
    return value;
  };
  assert.equal(await prepare("none"), true);
  assert.equal(await prepare("session"), true);
  assert.equal(await prepare("transaction"), false);
});

Deno.test({
  name:
    "migrations run without the statement timeout (long DDL, or a wait behind another instance)",
  ignore,
  fn: async () => {
    await withIsolatedDatabase(async (sql) => {
      await migrate(sql, [{
        name: "0001_probe.sql",
        sql: "CREATE TABLE probe AS SELECT current_setting('statement_timeout') AS timeout",
        checksum: "probe",
      }]);
      const [row] = await sql<{ timeout: string }[]>`SELECT timeout FROM probe`;
      assert.equal(row.timeout, "0");
    }, { migrated: false });
  },
});

Deno.test({
  name: "a connection killed while the driver fetches its types does not end the process",
  // The probe proxies a TCP connection of its own to the database: the embedded one takes one
  // client, which this file's pool holds.
  ignore,
  fn: async () => {
    const probe = (...args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--config",
          "deno.dev.json",
          "tests/support/type_fetch_probe.ts",
          ...args,
        ],
        cwd: new URL("../..", import.meta.url).pathname,
        env: { DATABASE_URL: Deno.env.get("DATABASE_URL") ?? "", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    // Unguarded, postgres.js's dropped promise ends the process (the failure the chaos suite met).
    const bare = await probe();
    assert.equal(bare.code, 1);
    assert.match(
      decode(bare.stderr),
      /Uncaught \(in promise\) PostgresError: terminating connection/,
    );
    const guarded = await probe("guarded");
    const out = decode(guarded.stdout);
    assert.equal(guarded.code, 0, decode(guarded.stderr));
    assert.match(out, /guarded 57P01/);
    assert.match(out, /survived/);
  },
});
