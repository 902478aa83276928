/** Periodic housekeeping that any instance may run: it is idempotent and safe in parallel. */
import type { Sql } from "./client.ts";
import { purgeExpiredIdempotencyKeys } from "./idempotency.ts";
import { purgeEndedRateCounters } from "./rate_counters.ts";

/** How often housekeeping runs. */
export const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

/** Runs housekeeping every MAINTENANCE_INTERVAL_MS until the returned stop() is called. */
export function startMaintenance(
  sql: Sql,
  options: { clock: () => Date; onError: (error: unknown) => void },
): { stop(): void } {
  const run = () => {
    purgeExpiredIdempotencyKeys(sql, options.clock()).catch(options.onError);
    // Abuse-limit counters whose window has ended count nothing any more.
    purgeEndedRateCounters(sql, options.clock()).catch(options.onError);
  };
  const timer = setInterval(run, MAINTENANCE_INTERVAL_MS);
  return { stop: () => clearInterval(timer) };
}
