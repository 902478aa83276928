import assert from "node:assert/strict";
import postgres from "postgres";
import { startEmbeddedDatabase } from "../../db/embedded.ts";
import { startFromTemplate } from "../support/embedded_snapshot.ts";

function connect(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
}

Deno.test("embedded database supports the PostgreSQL features the app relies on", async (t) => {
  // startEmbeddedDatabase on a copy of an initialised data directory, as the app runs it on
  // data/pglite; the initdb of an empty directory is the next test's.
  const embedded = await startFromTemplate(false);
  const sql = connect(embedded.url);
  try {
    assert.match(embedded.url, /^postgres:\/\/.+@127\.0\.0\.1:\d+\/postgres/);
    assert.notEqual(new URL(embedded.url).port, "0");

    await t.step("gen_random_uuid", async () => {
      const [row] = await sql`select gen_random_uuid() as id`;
      assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    await sql`
      create table accounts (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        balance_cents bigint not null default 0
      )
    `;

    await t.step("unique index on lower(email)", async () => {
      await sql`create unique index accounts_email_lower on accounts (lower(email))`;
      await sql`insert into accounts (email) values ('Alice@Example.com')`;
      await assert.rejects(
        sql`insert into accounts (email) values ('alice@example.COM')`,
        (error: postgres.PostgresError) => {
          assert.equal(error.code, "23505");
          assert.equal(error.constraint_name, "accounts_email_lower");
          return true;
        },
      );
    });

    await t.step("bigint values come back as JS bigint", async () => {
      const big = 9_007_199_254_740_993n; // above Number.MAX_SAFE_INTEGER
      await sql`update accounts set balance_cents = ${big}`;
      const [row] = await sql`
        select balance_cents, count(*) over () as n from accounts
      `;
      assert.equal(row.balance_cents, big);
      assert.equal(row.n, 1n);
      await sql`update accounts set balance_cents = 0`;
    });

    await t.step("serializable transaction with SELECT ... FOR UPDATE", async () => {
      const [isolation, locked] = await sql.begin("isolation level serializable", async (tx) => {
        const [setting] = await tx`select current_setting('transaction_isolation') as level`;
        const [account] = await tx`select id, balance_cents from accounts for update`;
        await tx`update accounts set balance_cents = balance_cents + 500 where id = ${account.id}`;
        return [setting.level, account.balance_cents];
      });
      assert.equal(isolation, "serializable");
      assert.equal(locked, 0n);
      const [row] = await sql`select balance_cents from accounts`;
      assert.equal(row.balance_cents, 500n);
    });

    await t.step("rolled back transaction leaves no trace", async () => {
      await assert.rejects(
        sql.begin(async (tx) => {
          await tx`update accounts set balance_cents = 999`;
          throw new Error("abort");
        }),
        /abort/,
      );
      const [row] = await sql`select balance_cents from accounts`;
      assert.equal(row.balance_cents, 500n);
    });

    await t.step("advisory locks", async () => {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${42n})`;
        const [row] = await tx`
          select count(*) as n from pg_locks where locktype = 'advisory' and objid = 42
        `;
        assert.equal(row.n, 1n);
      });
      const [afterTx] = await sql`select count(*) as n from pg_locks where locktype = 'advisory'`;
      assert.equal(afterTx.n, 0n);

      const [first] = await sql`select pg_try_advisory_lock(${7n}) as ok`;
      assert.equal(first.ok, true);
      const [unlocked] = await sql`select pg_advisory_unlock(${7n}) as ok`;
      assert.equal(unlocked.ok, true);
    });

    await t.step("plpgsql trigger error code reaches postgres.js", async () => {
      await sql`
        create function forbid_negative_balance() returns trigger language plpgsql as $$
        begin
          if new.balance_cents < 0 then
            raise exception 'balance would become negative: %', new.balance_cents
              using errcode = 'BK001', hint = 'check funds first';
          end if;
          return new;
        end
        $$
      `;
      await sql`
        create trigger accounts_no_negative before update on accounts
        for each row execute function forbid_negative_balance()
      `;
      await assert.rejects(
        sql`update accounts set balance_cents = -1`,
        (error: postgres.PostgresError) => {
          assert.ok(error instanceof postgres.PostgresError);
          assert.equal(error.code, "BK001");
          assert.equal(error.message, "balance would become negative: -1");
          assert.equal(error.hint, "check funds first");
          return true;
        },
      );
      // The failed statement must not poison the connection.
      const [row] = await sql`select balance_cents from accounts`;
      assert.equal(row.balance_cents, 500n);
    });

    await t.step("a new client connects after the previous one closed", async () => {
      await sql.end();
      for (let i = 0; i < 3; i++) {
        const next = connect(embedded.url);
        try {
          const [row] = await next`select balance_cents from accounts`;
          assert.equal(row.balance_cents, 500n);
        } finally {
          await next.end();
        }
      }
    });
  } finally {
    await sql.end();
    await embedded.stop();
  }
});

Deno.test("embedded database persists data across restarts", async () => {
  const tempDir = await Deno.makeTempDir({ prefix: "pglite_test_" });
  const dataDir = `${tempDir}/pglite`;
  try {
    const first = await startEmbeddedDatabase({ dataDir });
    const writer = connect(first.url);
    try {
      await writer`create table notes (id bigint primary key, body text not null)`;
      await writer`insert into notes values (${1n}, 'kept after restart')`;
    } finally {
      await writer.end();
      await first.stop();
    }
    // Stopping twice must be harmless: shutdown hooks and finally blocks may both call it.
    await first.stop();

    const port = freePort();
    const second = await startEmbeddedDatabase({ dataDir, port });
    const reader = connect(second.url);
    try {
      assert.equal(new URL(second.url).port, String(port));
      const rows = await reader`select id, body from notes`;
      assert.deepEqual([...rows], [{ id: 1n, body: "kept after restart" }]);
    } finally {
      await reader.end();
      await second.stop();
    }
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
