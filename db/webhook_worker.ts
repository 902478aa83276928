/**
 * The webhook delivery worker: claims due deliveries, POSTs each event signed per Standard
 * Webhooks, and records the attempt with what follows it (done, retry later, or failed). Its
 * state is all in the database, so it survives restarts and may run on every instance at once.
 */
import { Webhook } from "standardwebhooks";
import type { Config } from "../config.ts";
import {
  deliveryAddresses,
  parseWebhookUrl,
  type ResolveHost,
  resolveWithDns,
} from "../domain/webhook_urls.ts";
import { abandonedAttempt, afterAttempt, eventJson } from "../domain/webhooks.ts";
import type { Logger } from "../routes/logger.ts";
import type { Sql } from "./client.ts";
import { postPinnedExchange } from "./pinned_post.ts";
import {
  type AttemptResult,
  claimDueDeliveries,
  type ClaimedDelivery,
  recordAttempt,
} from "./webhook_deliveries.ts";

/** A receiver must answer 2xx within this long, in milliseconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claim holds before another worker may take the delivery over (timeout + slack). */
export const DELIVERY_LEASE_MS = 60_000;
/** Deliveries sent at once by one worker pass. */
export const DELIVERY_BATCH_MAX = 16;
/** How long stop() lets sends in flight finish before abandoning them (Deploy allows 5 s). */
export const STOP_GRACE_MS = 1_500;
/** The pause between passes of the in-process runner when the queue is empty, in milliseconds. */
export const WORKER_IDLE_MS = 500;
const ERROR_CHARS_MAX = 300;

/** What the worker needs. */
export interface WebhookWorkerDeps {
  sql: Sql;
  config: Pick<Config, "webhookAllowPrivate" | "webhookRetryScheduleMs">;
  log: Logger;
  /** Real time. Due times are on each event owner's sandbox clock, this plus the owner's offset. */
  clock: () => Date;
  /** Name resolution for the address check (Deno.resolveDns by default). */
  resolveHost?: ResolveHost;
}

/**
 * One pass: claims due deliveries, sends them concurrently, records each; returns how many. One
 * delivery that fails to record is logged and left to its lease; the others are recorded. Sends
 * still in flight when `signal` aborts are abandoned, recorded as such and retried later.
 */
export async function deliverDueWebhooks(
  deps: WebhookWorkerDeps,
  options: { leaseMs?: number; limit?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const claimed = await claimDueDeliveries(deps.sql, {
    limit: options.limit ?? DELIVERY_BATCH_MAX,
    leaseMs: options.leaseMs ?? DELIVERY_LEASE_MS,
    realNow: deps.clock(),
  });
  const results = await Promise.allSettled(
    claimed.map((delivery) => deliverOne(deps, delivery, options.signal)),
  );
  for (const [index, result] of results.entries()) {
    if (result.status === "fulfilled") continue;
    deps.log("warn", "webhook_record_failed", {
      delivery_id: claimed[index].id,
      code: (result.reason as { code?: string }).code,
    });
  }
  return claimed.length;
}

async function deliverOne(
  deps: WebhookWorkerDeps,
  delivery: ClaimedDelivery,
  signal: AbortSignal | undefined,
): Promise<void> {
  const result = await sendWebhook(delivery, {
    allowPrivate: deps.config.webhookAllowPrivate,
    resolve: deps.resolveHost ?? resolveWithDns,
    timestamp: deps.clock(),
    signal,
  });
  const succeeded = result.responseStatus !== null && result.responseStatus >= 200 &&
    result.responseStatus < 300;
  // An attempt cut short by a shutdown says nothing of the receiver: it never ends a delivery.
  const outcome = result.abandoned
    ? abandonedAttempt(delivery.attempt, deps.config.webhookRetryScheduleMs)
    : afterAttempt(delivery.attempt, succeeded, deps.config.webhookRetryScheduleMs);
  const counted = await recordAttempt(deps.sql, delivery, {
    result,
    outcome,
    realNow: deps.clock(),
  });
  deps.log(succeeded ? "info" : "warn", "webhook_attempt", {
    delivery_id: delivery.id,
    event_id: delivery.event.id,
    attempt: delivery.attempt,
    response_status: result.responseStatus,
    outcome: outcome.status,
    duration_ms: result.durationMs,
    ...(counted ? {} : { lease_lost: true }),
  });
}

/**
 * POSTs the delivery's event, signed with the endpoint's secret at `timestamp`; never throws. The
 * timestamp is real time, never a sandbox clock: Standard Webhooks receivers refuse a
 * webhook-timestamp more than 5 minutes from their own clock.
 */
export async function sendWebhook(
  delivery: Pick<ClaimedDelivery, "url" | "secret" | "event">,
  options: {
    allowPrivate: boolean;
    resolve: ResolveHost;
    timestamp: Date;
    timeoutMs?: number;
    signal?: AbortSignal;
  },
): Promise<AttemptResult & { abandoned?: boolean }> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  let addresses: string[];
  try {
    url = parseWebhookUrl(delivery.url);
    // Checked again at each send: a name may resolve elsewhere now than when it was registered.
    // The POST then connects to the very addresses checked, never resolving the name again.
    addresses = await deliveryAddresses(url, options);
  } catch (error) {
    return {
      responseStatus: null,
      error: clip(`refused: ${(error as Error).message}`),
      durationMs: elapsed(),
    };
  }
  const body = JSON.stringify(eventJson(delivery.event));
  const timestamp = options.timestamp;
  const signature = new Webhook(delivery.secret).sign(delivery.event.id, timestamp, body);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const headers = {
    "content-type": "application/json",
    "user-agent": "BankApiSandbox-Webhooks/1",
    "webhook-id": delivery.event.id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
  // Kept with the attempt, for the dashboard's delivery page: what was sent, what came back.
  const sent = { requestHeaders: headers, requestBody: body };
  try {
    const response = await postPinnedExchange({
      url,
      addresses,
      body,
      timeoutMs,
      headers,
      signal: options.signal,
    });
    const status = response.status;
    // A redirect is not a 2xx and is never followed: it could lead into a private network.
    const ok = status >= 200 && status < 300;
    return {
      responseStatus: status,
      error: ok ? null : `HTTP ${status}`,
      durationMs: elapsed(),
      exchange: {
        ...sent,
        responseHeaders: response.headers,
        responseBody: response.bodyExcerpt,
      },
    };
  } catch (error) {
    if (options.signal?.aborted) {
      const text = "abandoned: the worker stopped (shutdown) before the receiver answered";
      return {
        responseStatus: null,
        error: text,
        durationMs: elapsed(),
        abandoned: true,
        exchange: sent,
      };
    }
    const name = (error as Error)?.name;
    const text = name === "TimeoutError"
      ? `timeout: no response within ${timeoutMs} ms`
      : `connection failed: ${(error as Error)?.message ?? String(error)}`;
    return { responseStatus: null, error: clip(text), durationMs: elapsed(), exchange: sent };
  }
}

function clip(text: string): string {
  return text.length > ERROR_CHARS_MAX ? `${text.slice(0, ERROR_CHARS_MAX - 1)}…` : text;
}

/** A running in-process worker. */
export interface RunningWorker {
  /** Stops after the current pass; sends still in flight after `graceMs` are abandoned. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Runs passes back to back while there is work, pausing `idleMs` when the queue is empty. */
export function startWebhookWorker(
  deps: WebhookWorkerDeps,
  options: { idleMs?: number } = {},
): RunningWorker {
  const idleMs = options.idleMs ?? WORKER_IDLE_MS;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abandon = new AbortController();
  const loop = (async () => {
    while (!stopped) {
      let handled = 0;
      try {
        handled = await deliverDueWebhooks(deps, { signal: abandon.signal });
      } catch (error) {
        // The database may be away for a moment; the next pass retries. No message: it may quote SQL.
        deps.log("warn", "webhook_worker_pass_failed", { code: (error as { code?: string }).code });
      }
      if (handled < DELIVERY_BATCH_MAX && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, idleMs);
        });
      }
    }
  })();
  return {
    async stop(options = {}) {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      const grace = setTimeout(() => abandon.abort(), options.graceMs ?? STOP_GRACE_MS);
      try {
        await loop;
      } finally {
        clearTimeout(grace);
      }
    },
  };
}
