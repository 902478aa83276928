/** Start-up: config → database → migrations → app → Deno.serve. Nothing else lives here. */
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { guardAgainstClosedSocketWrites } from "./db/client.ts";
import { CLEARING_INTERVAL_MS, processDue, startClearingWorker } from "./db/clearing.ts";
import { migrate } from "./db/migrate.ts";
import { retryStats } from "./db/serializable.ts";
import { groupStats } from "./db/transfers.ts";
import { connectionRetryStats } from "./db/connection_failures.ts";
import { openDatabase } from "./db/open.ts";
import { startMaintenance } from "./db/maintenance.ts";
import { DEMO_CUSTOMER, seedDemoData } from "./db/seed.ts";
import { deliverDueWebhooks, startWebhookWorker } from "./db/webhook_worker.ts";
import { createFraudRules } from "./domain/fraud/mod.ts";
import { createLogger } from "./routes/logger.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
const log = createLogger(config.logLevel);
if (config.jwtSecretGenerated) {
  log("warn", "jwt_secret_generated", {
    message: "JWT_SECRET is not set: using a random secret; tokens end with this process",
  });
}

guardAgainstClosedSocketWrites(() => log("warn", "database_write_after_close", {}));
const database = await openDatabase(config);
const applied = await migrate(database.sql);
if (applied.length) log("info", "migrations_applied", { migrations: applied });

const fraudRules = createFraudRules(config.fraud);
// The embedded database is a developer's own: it gets demo data. A real one only by `deno task seed`.
if (database.embedded) {
  const created = await seedDemoData(database.sql, {
    cost: config.passwordHash,
    rules: fraudRules,
    now: new Date(),
    settlementSeconds: config.paymentSettlementSeconds,
  });
  if (created) log("info", "demo_data_seeded", {});
  console.log(`Demo customer: ${DEMO_CUSTOMER.email} / password: ${DEMO_CUSTOMER.password}`);
}

const maintenance = startMaintenance(database.sql, {
  clock: () => new Date(),
  onError: (error) => log("warn", "maintenance_failed", { error_name: (error as Error).name }),
});
const app = createApp({ sql: database.sql, config, clock: () => new Date(), fraudRules, log });
// Settles, returns and expires what falls due; safe beside other instances on the same database.
const clearing = startClearingWorker(database.sql, {
  intervalMs: CLEARING_INTERVAL_MS,
  clock: () => new Date(),
  log,
});
// Webhook deliveries run beside the server; their state is in the database, so every instance
// may run the worker. On Deno Deploy an isolate may sleep, so Deno.cron also drives a pass.
const webhookWorker = startWebhookWorker({
  sql: database.sql,
  config,
  log,
  clock: () => new Date(),
});
const cron = (Deno as { cron?: (name: string, schedule: string, run: () => Promise<void>) => void })
  .cron;
if (typeof cron === "function") {
  cron("webhook deliveries", "* * * * *", async () => {
    await deliverDueWebhooks({ sql: database.sql, config, log, clock: () => new Date() });
  });
  cron("payment clearing", "* * * * *", async () => {
    await processDue(database.sql, { realNow: new Date() });
  });
}
const server = Deno.serve({
  port: config.port,
  onListen: ({ hostname, port }) =>
    log("info", "listening", {
      url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`,
      database: database.embedded ? "embedded" : "postgresql",
    }),
}, app.fetch);

// Operators (and `deno task bench`) read counters by signal, never over HTTP where anyone could.
try {
  Deno.addSignalListener(
    "SIGUSR1",
    () => log("info", "stats", { ...retryStats, ...connectionRetryStats, ...groupStats }),
  );
} catch {
  // No signals on this platform: the counters stay unread, which is harmless.
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  try {
    Deno.addSignalListener(signal, async () => {
      maintenance.stop();
      await server.shutdown();
      await clearing.stop();
      await webhookWorker.stop();
      await database.close();
      Deno.exit(0);
    });
  } catch {
    // A platform without signals (a serverless isolate) stops the process itself.
  }
}
