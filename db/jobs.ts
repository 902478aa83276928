/**
 * The background jobs as bounded, idempotent passes. Deno.cron (jobs.ts) runs each once a minute;
 * a long-lived process also runs them on in-process timers for sub-minute latency. Every pass is
 * safe beside any other pass of any instance: items are claimed or locked in the database.
 */
import type { Config } from "../config.ts";
import type { Logger } from "../routes/logger.ts";
import { createFraudRules, type FraudRule } from "../domain/fraud/mod.ts";
import { type DueSettings, processDue } from "./clearing.ts";
import type { Sql } from "./client.ts";
import { purgeExpiredIdempotencyKeys } from "./idempotency.ts";
import { purgeEndedRateCounters } from "./rate_counters.ts";
import { deliverDueWebhooks, DELIVERY_BATCH_MAX } from "./webhook_worker.ts";

/** What a pass needs: the database, configuration, a logger and real time. */
export interface JobDeps {
  sql: Sql;
  config: Pick<
    Config,
    | "env"
    | "webhookAllowPrivate"
    | "webhookRetryScheduleMs"
    | "fraud"
    | "paymentSettlementSeconds"
    | "clearingCalendar"
  >;
  log: Logger;
  clock: () => Date;
  /** Aborted when the process stops: sends in flight are abandoned, recorded and retried. */
  signal?: AbortSignal;
}

/** A pass of the webhook job stops taking new batches after this long (a cron fires each minute). */
export const WEBHOOK_PASS_BUDGET_MS = 40_000;

// One rule set per configuration: the pipeline groups commands decided under the same rules.
const rulesByConfig = new WeakMap<object, FraudRule[]>();

/** What the passes decide standing orders' runs under: the configured rules and calendar. */
export function dueSettingsOf(config: JobDeps["config"]): DueSettings {
  let rules = rulesByConfig.get(config);
  if (!rules) rulesByConfig.set(config, rules = createFraudRules(config.fraud));
  return {
    rules,
    clearing: {
      settlementSeconds: config.paymentSettlementSeconds,
      calendar: config.clearingCalendar,
    },
  };
}

/**
 * Settles, returns and expires what fell due, makes due standing-order runs and collects due
 * debit orders; one failing item is logged, the rest go on.
 */
export async function clearingPass(deps: JobDeps): Promise<void> {
  const run = await processDue(deps.sql, {
    realNow: deps.clock(),
    due: dueSettingsOf(deps.config),
    onItemError: (item, error) =>
      deps.log("warn", "clearing_item_failed", {
        kind: item.kind,
        id: item.id,
        code: (error as { code?: string }).code,
      }),
  });
  if (run.payments || run.holds || run.schedules || run.debitOrders) {
    deps.log("info", "clearing_processed", { ...run });
  }
}

/** Sends due webhook deliveries, batch after batch while batches come full, within a budget. */
export async function webhookPass(
  deps: JobDeps,
  options: { budgetMs?: number } = {},
): Promise<void> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? WEBHOOK_PASS_BUDGET_MS;
  while (performance.now() - started < budgetMs && !deps.signal?.aborted) {
    const handled = await deliverDueWebhooks(deps, { signal: deps.signal });
    if (handled < DELIVERY_BATCH_MAX) return;
  }
}

/** Housekeeping: purges idempotency keys past their expiry. */
export async function maintenancePass(deps: JobDeps): Promise<void> {
  await purgeExpiredIdempotencyKeys(deps.sql, deps.clock());
  // Abuse-limit counters whose window has ended count nothing any more.
  await purgeEndedRateCounters(deps.sql, deps.clock());
}

/** One job: its cron name and schedule (UTC), and its pass. */
export interface Job {
  name: string;
  schedule: string;
  pass: (deps: JobDeps) => Promise<void>;
}

/** Every background job. A job a later change adds goes here and in jobs.ts. */
export const JOBS = {
  clearing: { name: "payment clearing", schedule: "* * * * *", pass: clearingPass },
  webhooks: { name: "webhook deliveries", schedule: "* * * * *", pass: webhookPass },
  maintenance: { name: "maintenance", schedule: "*/10 * * * *", pass: maintenancePass },
} as const satisfies Record<string, Job>;

/** Runs a pass and logs a failure by its code only (a message may quote SQL); never throws. */
export async function runJob(job: Job, deps: JobDeps): Promise<void> {
  try {
    await job.pass(deps);
  } catch (error) {
    deps.log("warn", "job_failed", { job: job.name, code: (error as { code?: string }).code });
  }
}

/** Runs `job` every `intervalMs` (never two runs at once) until stopped; stop() awaits a run. */
export function startJobTimer(
  job: Job,
  deps: JobDeps,
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= runJob(job, deps).finally(() => (running = undefined));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
