/**
 * The cron jobs, declared when this module is evaluated: main.ts imports it first, so the
 * declarations run before any await and before Deno.serve, where Deno Deploy finds them (it
 * evaluates the module's top level at deployment; a declaration in a conditional, a callback or
 * after an await is not picked up). Cron is enabled in deno.json (`"unstable": ["cron"]`), so local
 * runs and tests register the same jobs. A handler waits for main.ts to hand it the database.
 */
import { type JobDeps, JOBS, runJob } from "./db/jobs.ts";

/** How long a fired handler waits for start-up to provide its dependencies before giving up. */
export const JOB_DEPS_WAIT_MS = 30_000;

let provide: (deps: JobDeps) => void = () => {};
const provided = new Promise<JobDeps>((resolve) => (provide = resolve));

/** Hands the cron handlers their database, configuration, logger and clock (main.ts, once). */
export function provideJobDeps(deps: JobDeps): void {
  provide(deps);
}

/** The dependencies once provided; undefined when start-up has not got that far in time. */
async function jobDeps(): Promise<JobDeps | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), JOB_DEPS_WAIT_MS);
  });
  try {
    return await Promise.race([provided, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The cron handlers by job, exported so a test can fire them as Deploy would. */
export const cronHandlers = {
  clearing: async () => {
    const deps = await jobDeps();
    if (deps) await runJob(JOBS.clearing, deps);
  },
  webhooks: async () => {
    const deps = await jobDeps();
    if (deps) await runJob(JOBS.webhooks, deps);
  },
  maintenance: async () => {
    const deps = await jobDeps();
    if (deps) await runJob(JOBS.maintenance, deps);
  },
};

Deno.cron(JOBS.clearing.name, JOBS.clearing.schedule, cronHandlers.clearing);
Deno.cron(JOBS.webhooks.name, JOBS.webhooks.schedule, cronHandlers.webhooks);
Deno.cron(JOBS.maintenance.name, JOBS.maintenance.schedule, cronHandlers.maintenance);
