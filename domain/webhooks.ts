/** Webhook rules that need no I/O: the Event's JSON, endpoint secrets, and the retry schedule. */

/** An event as the API and webhooks show it. */
export function eventJson<T extends string>(
  event: { id: string; type: T; createdAt: Date; data: unknown },
) {
  return {
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    data: event.data as { object: Record<string, unknown> },
  };
}

const SECRET_BYTES = 24;

/** A Standard Webhooks signing secret: `whsec_` and 192 random bits in base64. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** What follows an attempt: done, another try after a delay, or given up. */
export type AttemptOutcome =
  | { status: "succeeded" }
  | { status: "pending"; retryInMs: number }
  | { status: "failed" };

/**
 * Decides after attempt number `attempt` (1-based): a success ends the delivery; a failure is
 * retried after `scheduleMs[attempt - 1]`, and once the schedule is spent the delivery has failed.
 */
export function afterAttempt(
  attempt: number,
  succeeded: boolean,
  scheduleMs: readonly number[],
): AttemptOutcome {
  if (succeeded) return { status: "succeeded" };
  if (attempt <= scheduleMs.length) {
    return { status: "pending", retryInMs: scheduleMs[attempt - 1] };
  }
  return { status: "failed" };
}

/**
 * The consequence of an attempt abandoned by a stopping worker: the delivery stays pending and
 * is tried again after the schedule's step for it (the last step once the schedule is spent).
 */
export function abandonedAttempt(attempt: number, scheduleMs: readonly number[]): AttemptOutcome {
  const step = scheduleMs[Math.min(attempt, scheduleMs.length) - 1] ?? 0;
  return { status: "pending", retryInMs: step };
}
