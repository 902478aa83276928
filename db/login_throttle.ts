/** Failed-login counters (login_failures), shared by every instance through the database. */
import { failuresMax, LOGIN_WINDOW_SECONDS, type LoginSubject } from "../domain/login_throttle.ts";
import type { Queryable } from "./client.ts";

/**
 * Seconds until the first exhausted subject's window ends, or 0 when the login may be tried.
 * Only subjects at their limit inside a current window count.
 */
export async function loginRetryAfterSeconds(
  sql: Queryable,
  subjects: LoginSubject[],
  now: Date,
): Promise<number> {
  const rows = await sql<{ scope: "email" | "client"; failures: number; endsAt: Date }[]>`
    SELECT scope, failures,
           window_started_at + ${LOGIN_WINDOW_SECONDS} * interval '1 second' AS ends_at
    FROM login_failures
    WHERE (scope, subject) IN (
      SELECT * FROM unnest(${sql.array(subjects.map((s) => s.scope))}::text[],
                           ${sql.array(subjects.map((s) => s.subject))}::text[]))
      AND window_started_at > ${now}::timestamptz - ${LOGIN_WINDOW_SECONDS} * interval '1 second'`;
  let waitMs = 0;
  for (const row of rows) {
    if (row.failures >= failuresMax(row.scope)) {
      waitMs = Math.max(waitMs, row.endsAt.getTime() - now.getTime());
    }
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/** Counts one failed login against each subject, starting a new window where the old one ended. */
export async function recordLoginFailure(
  sql: Queryable,
  subjects: LoginSubject[],
  now: Date,
): Promise<void> {
  for (const { scope, subject } of subjects) {
    await sql`
      INSERT INTO login_failures (scope, subject, window_started_at, failures)
      VALUES (${scope}, ${subject}, ${now}, 1)
      ON CONFLICT (scope, subject) DO UPDATE SET
        failures = CASE WHEN login_failures.window_started_at
                               <= ${now}::timestamptz - ${LOGIN_WINDOW_SECONDS} * interval '1 second'
                        THEN 1 ELSE login_failures.failures + 1 END,
        window_started_at = CASE WHEN login_failures.window_started_at
                               <= ${now}::timestamptz - ${LOGIN_WINDOW_SECONDS} * interval '1 second'
                        THEN ${now} ELSE login_failures.window_started_at END`;
  }
}

/** Forgets an email's failures after a successful login (its client's count stays). */
export async function clearEmailFailures(sql: Queryable, subject: LoginSubject): Promise<void> {
  await sql`DELETE FROM login_failures WHERE scope = 'email' AND subject = ${subject.subject}`;
}
