/** An in-process app over the test database, with an injectable clock and fraud thresholds. */
import { createApp } from "../../app.ts";
import { type Config, loadConfig } from "../../config.ts";
import type { Sql } from "../../db/client.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { declareBuild } from "./contract.ts";
import { testDatabase } from "./database.ts";

/** A clock tests move by hand. */
export interface TestClock {
  now: () => Date;
  advanceSeconds(seconds: number): void;
}

/** A clock starting at real time that moves only when told. */
export function manualClock(start = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
  };
}

/** The app under test and what it was built with. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  sql: Sql;
  config: Config;
  log: ReturnType<typeof createMemoryLogger>;
}

/** The test configuration: cheap password hashing, a fixed secret, env overrides on top. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    APP_ENV: "test",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    // Tests hash many passwords; production cost is measured in the benchmark instead.
    PASSWORD_HASH_MEMORY_KIB: "256",
    PASSWORD_HASH_ITERATIONS: "1",
    // The suite's own receivers listen on 127.0.0.1 (tests/support/receiver.ts); the SSRF tests
    // turn the filter back on with WEBHOOK_ALLOW_PRIVATE: "false".
    WEBHOOK_ALLOW_PRIVATE: "true",
    // Tests served over a socket register many users from 127.0.0.1; the limit's own tests set it.
    REGISTRATIONS_PER_CLIENT_MAX: "1000000",
    // Production refuses to start without one; the app itself is handed its database by the test.
    DATABASE_URL: Deno.env.get("DATABASE_URL") ??
      "postgres://tests-use-their-own-database.invalid/x",
    ...env,
  });
}

/** Builds the app over `sql` (a database of the test's own, e.g. withIsolatedDatabase's). */
export function appOver(
  sql: Sql,
  options: { env?: Record<string, string>; clock?: () => Date } = {},
): TestApp {
  const config = testConfig(options.env);
  const log = createMemoryLogger();
  const app = createApp({
    sql,
    config,
    clock: options.clock ?? (() => new Date()),
    fraudRules: createFraudRules(config.fraud),
    log,
  });
  return { app, sql, config, log };
}

/** Builds the app over the shared test database. */
export async function testApp(
  options: { env?: Record<string, string>; clock?: () => Date } = {},
): Promise<TestApp> {
  const { sql } = await testDatabase();
  const built = appOver(sql, options);
  declareBuild(built.app, JSON.stringify(options.env ?? {}));
  return built;
}

/**
 * Deno.test for tests sharing the database pool across the process (its sockets outlive a test).
 * A test that cannot run here passes `ignore` (with its reason beside it), so it shows as ignored
 * rather than returning early and reporting ok.
 */
export function bankTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
  options: { ignore?: boolean } = {},
): void {
  Deno.test({ name, ignore: options.ignore, sanitizeOps: false, sanitizeResources: false, fn });
}
