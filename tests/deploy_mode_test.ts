/**
 * The app run the way Deno Deploy runs it: file writes denied, no job timers, Deno.cron's jobs
 * declared at start-up and fired by the platform (here, by the test), no migrations on a cold
 * start, a database that is down at start-up, and a SIGTERM with a webhook delivery in flight.
 */
import assert from "node:assert/strict";
import { JOBS } from "../db/jobs.ts";
import type { Sql } from "../db/client.ts";
import { appOver, testApp } from "./support/app.ts";
import { call, fundedAccount, openAccount, signUp } from "./support/client.ts";
import { onRealPostgres, testDatabase, withIsolatedDatabase } from "./support/database.ts";
import { getPayment, placeHold, sendPayment } from "./support/payments.ts";
import { startServerProcess } from "./support/server_process.ts";
import { createEndpoint, deliveriesOf, runWorkerUntil } from "./support/webhooks.ts";

const DEPLOYED = { DENO_DEPLOYMENT_ID: "deploy-mode-test" };

/** A test of spawned servers on real PostgreSQL (they need a URL to share with the test). */
function deployTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name,
    ignore: !onRealPostgres(),
    sanitizeOps: false,
    sanitizeResources: false,
    fn,
  });
}

Deno.test("jobs.ts declares every job with Deno.cron as it is evaluated; main.ts imports it first", async () => {
  const original = Object.getOwnPropertyDescriptor(Deno, "cron")!;
  const declared: string[] = [];
  Object.defineProperty(Deno, "cron", {
    configurable: true,
    value: (name: string, schedule: string) => void declared.push(`${name}|${schedule}`),
  });
  try {
    await import("../jobs.ts");
  } finally {
    Object.defineProperty(Deno, "cron", original);
  }
  assert.deepEqual(
    declared.sort(),
    Object.values(JOBS).map((job) => `${job.name}|${job.schedule}`).sort(),
  );
  const main = await Deno.readTextFile(new URL("../main.ts", import.meta.url));
  const firstImport = main.split("\n").find((line) => line.startsWith("import "));
  assert.equal(firstImport, 'import { provideJobDeps } from "./jobs.ts";');
});

deployTest(
  "a deployment with writes denied and no timers settles, expires, delivers and purges when its crons fire",
  async () => {
    const { url } = await testDatabase();
    const { app } = await testApp();
    const server = await startServerProcess(
      { ...DEPLOYED, DATABASE_URL: url, PAYMENT_SETTLEMENT_SECONDS: "1" },
      { script: "tests/support/deploy_driver.ts" },
    );
    try {
      const declared = await server.waitForLine((event) => event.event === "crons_declared");
      assert.equal((declared.crons as string[]).length, Object.keys(JOBS).length);
      const listening = await server.waitForLine((event) => event.event === "listening");
      assert.equal(listening.background_timers, false);
      const deployed = server.remote;
      const customer = await signUp(deployed);
      // Registered in-process (a test app, where a receiver on 127.0.0.1 is allowed).
      const endpoint = await createEndpoint(app, customer, { url: "http://127.0.0.1:9/unused" });
      const account = await fundedAccount(deployed, customer, "100");
      const payment = await sendPayment(deployed, customer, {
        from_account_id: account.id,
        amount: "10",
      }, { "idempotency-key": `deploy-${crypto.randomUUID()}` });
      assert.equal(payment.status, 201);
      const hold = await placeHold(deployed, customer, account.id, {
        amount: "5",
        expires_in_seconds: 1,
      });
      assert.equal(hold.status, 201);
      // The idempotency key's day passes at once; the payment and the hold fall due in a second.
      const { sql } = await testDatabase();
      await sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 minute'
                WHERE user_id = ${customer.id}`;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Nothing in the process acts on what fell due by itself: no timers run on Deploy.
      assert.equal((await getPayment(deployed, customer, payment.body.id)).status, "pending");
      assert.equal((await deliveriesOf(app, customer, endpoint.id))[0].attempt, 0);
      const keysBefore = await sql`SELECT 1 FROM idempotency_keys WHERE user_id = ${customer.id}`;
      assert.equal(keysBefore.length, 1);

      for (const job of Object.values(JOBS)) {
        await server.send(`fire ${job.name}`);
        const fired = await server.waitForLine((event) =>
          event.event === "cron_fired" && event.job === job.name
        );
        assert.equal(fired.known, true, job.name);
      }
      assert.equal((await getPayment(deployed, customer, payment.body.id)).status, "settled");
      const holdNow = await call<{ status: string }>(
        deployed,
        "GET",
        `/holds/${hold.body.id}`,
        { token: customer.token },
      );
      assert.equal(holdNow.body.status, "expired");
      const [delivery] = await deliveriesOf(app, customer, endpoint.id);
      assert.ok(Number(delivery.attempt) >= 1, "the delivery job made an attempt");
      const keys = await sql`SELECT 1 FROM idempotency_keys WHERE user_id = ${customer.id}`;
      assert.equal(keys.length, 0, "the maintenance job purged the expired key");
    } finally {
      await server.stop();
    }
  },
);

deployTest(
  "a deployment's cold start runs no DDL: a database without tables stays so",
  async () => {
    await withIsolatedDatabase(async (sql, url) => {
      const server = await startServerProcess({ ...DEPLOYED, DATABASE_URL: url });
      try {
        const health = await fetch(new URL("/health", server.url));
        await health.body?.cancel();
        assert.equal(health.status, 200);
        // Time enough for start-up work in the background (a self-hosted server migrates then).
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const tables = await sql`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
        assert.deepEqual(tables.map((row) => row.tableName), []);
      } finally {
        await server.stop();
      }
    }, { migrated: false });
  },
);

/** A port nothing listens on (yet). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Forwards connections on `port` to the database at `target`, from when it is called. */
function forward(port: number, target: URL): { close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const open: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      open.push(conn);
      Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) })
        .then((upstream) => {
          open.push(upstream);
          conn.readable.pipeTo(upstream.writable).catch(() => {});
          upstream.readable.pipeTo(conn.writable).catch(() => {});
        })
        .catch(() => conn.close());
    }
  })().catch(() => {});
  return {
    close() {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // Closed by its other end already.
        }
      }
    },
  };
}

deployTest(
  "a database down at start-up gets 503 problem+json, no crash, until it comes back",
  async () => {
    const { url } = await testDatabase();
    // Deployed (no migrations) and self-hosted (migrations retried in the background).
    for (const mode of [DEPLOYED, { APP_ENV: "test" }]) {
      const port = freePort();
      const unreachable = new URL(url);
      unreachable.hostname = "127.0.0.1";
      unreachable.port = String(port);
      const server = await startServerProcess({ ...mode, DATABASE_URL: unreachable.toString() });
      let proxy: { close(): void } | undefined;
      try {
        const register = () =>
          fetch(new URL("/auth/register", server.url), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              name: "Down Start",
              email: `down-${crypto.randomUUID()}@example.com`,
              password: "correct horse battery staple",
            }),
          });
        const refused = await register();
        assert.equal(refused.status, 503, JSON.stringify(mode));
        assert.equal(refused.headers.get("content-type"), "application/problem+json");
        assert.equal((await refused.json()).code, "service_unavailable");
        const health = await fetch(new URL("/health", server.url));
        await health.body?.cancel();
        assert.equal(health.status, 503);

        proxy = forward(port, new URL(url));
        let status = 0;
        for (let tries = 0; tries < 100 && status !== 200; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const response = await fetch(new URL("/health", server.url));
          await response.body?.cancel();
          status = response.status;
        }
        assert.equal(status, 200, "healthy once the database is back");
        const registered = await register();
        await registered.body?.cancel();
        assert.equal(registered.status, 201);
      } finally {
        const exited = await Promise.race([
          server.process.status.then(() => true),
          new Promise((resolve) => setTimeout(() => resolve(false), 0)),
        ]);
        await server.stop();
        proxy?.close();
        assert.equal(exited, false, "the server was still running");
      }
    }
  },
);

deployTest(
  "SIGTERM with a webhook delivery in flight: exit within 5 s, the attempt logged, retried later",
  // A database of its own: the server's worker claims every due delivery it finds, and in the
  // shared one other files' deliveries (to receivers long gone, whose ports the kernel hands out
  // again) would be sent to this receiver first, and ours would wait behind them.
  () => withIsolatedDatabase((sql, url) => signalWithDeliveryInFlight(sql, url)),
);

async function signalWithDeliveryInFlight(sql: Sql, url: string): Promise<void> {
  const schedule = { WEBHOOK_RETRY_SCHEDULE: "20ms,40ms" };
  const { app, config } = appOver(sql, { env: schedule });
  // A receiver that keeps its first request waiting and answers the others 200.
  const ids: (string | null)[] = [];
  const first = Promise.withResolvers<void>();
  const hang = Promise.withResolvers<void>();
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.text();
    ids.push(req.headers.get("webhook-id"));
    if (ids.length === 1) {
      first.resolve();
      await hang.promise;
    }
    return new Response("ok");
  });
  // The receiver is on 127.0.0.1, which the SSRF filter refuses unless allowed.
  const server = await startServerProcess({
    APP_ENV: "test",
    DATABASE_URL: url,
    WEBHOOK_ALLOW_PRIVATE: "true",
    ...schedule,
  });
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, {
      url: `http://127.0.0.1:${receiver.addr.port}/hook`,
      event_types: ["account.created"],
    });
    await openAccount(app, customer);
    // Bounded: a server that never sends fails the test instead of hanging the run.
    await Promise.race([
      first.promise,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("the server sent no delivery within 20 s")), 20_000)
      ),
    ]);
    const took = await server.stop();
    assert.ok(took < 5_000, `took ${Math.round(took)} ms`);
    const [abandoned] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(abandoned.status, "pending");
    const attempts = abandoned.attempts as { error: string | null }[];
    assert.equal(attempts.length, 1);
    assert.match(attempts[0].error ?? "", /^abandoned/);
    assert.ok(abandoned.next_attempt_at, "a retry is scheduled");

    await runWorkerUntil({ sql, config }, async () => {
      const [delivery] = await deliveriesOf(app, customer, endpoint.id);
      return delivery.status === "succeeded";
    });
    const [delivered] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal((delivered.attempts as unknown[]).length, 2);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
  } finally {
    await server.stop();
    hang.resolve();
    await receiver.shutdown();
  }
}

deployTest(
  "a served request carries the socket's peer address: per-client registration limits hold over HTTP",
  async () => {
    const { url } = await testDatabase();
    const server = await startServerProcess({
      DATABASE_URL: url,
      REGISTRATIONS_PER_CLIENT_MAX: "2",
    });
    try {
      // A self-hosted server answers 503 until its background migration is done.
      for (let attempt = 0; attempt < 100; attempt++) {
        const health = await fetch(new URL("/health", server.url));
        await health.body?.cancel();
        if (health.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await fetch(new URL("/users", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            email: `peer-${crypto.randomUUID()}@example.com`,
            password: "correct horse battery staple",
            name: "Peer Address",
          }),
        });
        await response.body?.cancel();
        statuses.push(response.status);
      }
      // The counters live in the database, shared with every earlier test that registered from
      // 127.0.0.1 within the hour: however many that was, a third registration is over 2.
      assert.ok(statuses.every((status) => status === 201 || status === 429), String(statuses));
      assert.equal(statuses.at(-1), 429);
    } finally {
      await server.stop();
    }
  },
);
