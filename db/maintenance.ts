/** Periodic housekeeping that any instance may run: it is idempotent and safe in parallel. */

/** How often a long-lived process runs housekeeping (db/jobs.ts maintenancePass). */
export const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;
