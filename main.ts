/** Start-up: cron jobs → config → database → app → Deno.serve. Nothing else lives here. */
// First, before any await: evaluating jobs.ts declares the Deno.cron jobs, where Deploy finds them.
import { provideJobDeps } from "./jobs.ts";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { guardAgainstClosedSocketWrites, guardAgainstTypeFetchFailures } from "./db/client.ts";
import { CLEARING_INTERVAL_MS } from "./db/clearing.ts";
import { isConnectionFailure } from "./db/connection_failures.ts";
import { type JobDeps, JOBS, startJobTimer } from "./db/jobs.ts";
import { migrate } from "./db/migrate.ts";
import { retryStats } from "./db/serializable.ts";
import { groupStats } from "./db/transfers.ts";
import { connectionRetryStats } from "./db/connection_failures.ts";
import { openDatabase } from "./db/open.ts";
import { MAINTENANCE_INTERVAL_MS } from "./db/maintenance.ts";
import { DEMO_CUSTOMER, seedDemoData } from "./db/seed.ts";
import { startWebhookWorker, STOP_GRACE_MS } from "./db/webhook_worker.ts";
import { createFraudRules } from "./domain/fraud/mod.ts";
import { createLogger } from "./routes/logger.ts";
import { problemBody, problemResponse } from "./routes/problem.ts";

/** Everything is stopped and the process exits within this long of SIGTERM (Deploy grants 5 s). */
const SHUTDOWN_DEADLINE_MS = 4_000;
/** Pause between attempts to migrate a database that is not reachable yet. */
const MIGRATE_RETRY_MS = 1_000;

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
guardAgainstTypeFetchFailures((code) => log("warn", "database_type_fetch_failed", { code }));
// postgres.js connects on the first query: a database that is down does not stop the start-up.
const database = await openDatabase(config).catch((error) => {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
});
const clock = () => new Date();
// Aborted a little after SIGTERM: a cron pass's sends still in flight are then abandoned.
const stopping = new AbortController();
const jobDeps: JobDeps = { sql: database.sql, config, log, clock, signal: stopping.signal };
provideJobDeps(jobDeps);

const fraudRules = createFraudRules(config.fraud);
// The embedded database is a developer's own: migrated and given demo data before serving.
if (database.embedded) {
  await migrateOnce();
  const created = await seedDemoData(database.sql, {
    cost: config.passwordHash,
    rules: fraudRules,
    now: new Date(),
    clearing: {
      settlementSeconds: config.paymentSettlementSeconds,
      calendar: config.clearingCalendar,
    },
  });
  if (created) log("info", "demo_data_seeded", {});
  console.log(`Demo customer: ${DEMO_CUSTOMER.email} / password: ${DEMO_CUSTOMER.password}`);
}
// A deployment runs no DDL on a cold start: its predeploy step (`deno task migrate`) migrated.
// A self-hosted server migrates in the background and answers 503 until that is done.
let migrated = database.embedded || config.deployed;
let timers: ReturnType<typeof startTimers> | undefined;
// The timers start on a current schema: a pass before that would only fail.
const startTimersIfWanted = () => (timers = config.backgroundTimers ? startTimers() : undefined);
if (migrated) startTimersIfWanted();
else {
  void migrateUntilDone().then(() => {
    migrated = true;
    startTimersIfWanted();
  });
}

// Aborted at SIGTERM itself: open event streams end at once, so server.shutdown() is not held up.
const closingStreams = new AbortController();
const app = createApp({
  sql: database.sql,
  config,
  clock,
  fraudRules,
  log,
  stopping: closingStreams.signal,
});
// The handler's second argument (the socket's peer address) is the app's `c.env`: per-client
// limits read it (routes/client_address.ts), so it is passed on, never dropped.
const server = Deno.serve({
  port: config.port,
  onListen: ({ hostname, port }) =>
    log("info", "listening", {
      url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`,
      database: database.embedded ? "embedded" : "postgresql",
      background_timers: config.backgroundTimers,
    }),
}, (request, info) => migrated ? app.fetch(request, info) : notReady());

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
    Deno.addSignalListener(signal, shutdown);
  } catch {
    // A platform without signals (a serverless isolate) stops the process itself.
  }
}

async function migrateOnce(): Promise<void> {
  const applied = await migrate(database.sql);
  if (applied.length) log("info", "migrations_applied", { migrations: applied });
}

// Retries only while the database is unreachable; any other failure (an edited migration) is fatal.
async function migrateUntilDone(): Promise<void> {
  for (;;) {
    try {
      return await migrateOnce();
    } catch (error) {
      if (!isConnectionFailure(error)) {
        log("error", "migration_failed", { code: (error as { code?: string }).code });
        Deno.exit(1);
      }
      log("warn", "database_unavailable", { code: (error as { code?: string }).code });
      await new Promise((resolve) => setTimeout(resolve, MIGRATE_RETRY_MS));
    }
  }
}

function notReady(): Response {
  return problemResponse(
    problemBody(503, "service_unavailable", "The bank's database is unavailable; retry shortly"),
    { "retry-after": "1" },
  );
}

// The same passes Deno.cron runs, every second or so, for a long-lived process.
function startTimers() {
  const clearing = startJobTimer(JOBS.clearing, jobDeps, CLEARING_INTERVAL_MS);
  // Deliveries run back to back while there is work (one pass, many batches, as the cron's).
  const webhooks = startWebhookWorker(jobDeps);
  const maintenance = startJobTimer(JOBS.maintenance, jobDeps, MAINTENANCE_INTERVAL_MS);
  return {
    async stop() {
      await Promise.all([clearing.stop(), webhooks.stop(), maintenance.stop()]);
    },
  };
}

// Bounded: a delivery in flight is abandoned (recorded, retried later) rather than outlive Deploy's
// grace period; whatever is still running at the deadline is cut off by the exit.
async function shutdown(): Promise<void> {
  const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DEADLINE_MS));
  closingStreams.abort();
  setTimeout(() => stopping.abort(), STOP_GRACE_MS);
  await Promise.race([
    Promise.all([server.shutdown(), timers?.stop()]).then(() => database.close()),
    deadline,
  ]).catch((error) => log("warn", "shutdown_failed", { error_name: (error as Error).name }));
  Deno.exit(0);
}
