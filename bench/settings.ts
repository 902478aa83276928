/** The bank's settings under benchmark, shared by `deno task bench` and `deno task bench:profile`. */

/**
 * Environment that differs from a developer's defaults, and why: logins happen once per customer
 * in setup (a transfer never hashes a password), and the default velocity limit (5) runs over a
 * 1 s window so that 1 024 accounts under thousands of transfers a second are not refused wholesale.
 * Its ledger read stops at the limit, so each transfer pays what it pays under the default 5 per
 * 60 s; the refusals it makes are full recorded movements.
 */
export const BENCH_ENV = {
  APP_ENV: "production",
  JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
  PASSWORD_HASH_MEMORY_KIB: "1024",
  PASSWORD_HASH_ITERATIONS: "1",
  FRAUD_MAX_TRANSFERS: "5",
  FRAUD_WINDOW_SECONDS: "1",
  FRAUD_MAX_TRANSFER_AMOUNT: "1000000000",
  LOG_LEVEL: "info",
  // Customers log in once, in setup; a long run (--memory-seconds=300 after the levels) and the
  // second server's hot-account run must not outlive their tokens (900 s by default).
  ACCESS_TOKEN_TTL_SECONDS: "3600",
  // The bench registers its users from 127.0.0.1.
  REGISTRATIONS_PER_CLIENT_MAX: "1000000",
} as const;
