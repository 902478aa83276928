/**
 * GET /events/stream: the user's events as Server-Sent Events (hono/streaming's streamSSE). Each
 * stream polls the outbox by position (db/event_stream.ts); there is no LISTEN/NOTIFY, which does
 * not survive PgBouncer in transaction mode and does not exist on the embedded database.
 */
import { streamSSE } from "hono/streaming";
import type { SSEStreamingApi } from "hono/streaming";
import {
  currentPosition,
  eventsAfter,
  positionOfEvent,
  type StreamPosition,
} from "../../db/event_stream.ts";
import { eventJson } from "../../domain/webhooks.ts";
import { InvalidInputError, RateLimitedError } from "../../domain/errors.ts";
import type { AppDeps, AppRouteHandler } from "../app_env.ts";
import type { StreamRoute } from "./routes.ts";

/** Events written per poll at most; a backlog is drained by polling again at once. */
const BATCH = 100;
/** What a client's EventSource waits before reconnecting, in milliseconds. */
const RECONNECT_MS = 1_000;

/** Open streams per user on this instance, so one user cannot hold every connection. */
export class StreamCounter {
  readonly #open = new Map<string, number>();
  /** Counts one more stream for the user, or answers false when they hold `max` already. */
  acquire(userId: string, max: number): boolean {
    const open = this.#open.get(userId) ?? 0;
    if (open >= max) return false;
    this.#open.set(userId, open + 1);
    return true;
  }
  release(userId: string): void {
    const open = (this.#open.get(userId) ?? 1) - 1;
    if (open <= 0) this.#open.delete(userId);
    else this.#open.set(userId, open);
  }
}

/** The handler of GET /events/stream, counting streams in `counter`. */
export function streamHandler(counter: StreamCounter): AppRouteHandler<StreamRoute> {
  return async (c) => {
    const { deps, userId } = c.var;
    const lastEventId = c.req.valid("header")["last-event-id"];
    let start: StreamPosition | undefined;
    if (lastEventId) {
      start = await positionOfEvent(deps.sql, userId, lastEventId);
      if (!start) throw new InvalidInputError("Last-Event-ID", "names none of your events");
    } else {
      start = await currentPosition(deps.sql);
    }
    const { perUserMax } = deps.config.eventStream;
    if (!counter.acquire(userId, perUserMax)) {
      throw new RateLimitedError(`At most ${perUserMax} open event streams per user`, 5);
    }
    const position = start;
    return streamSSE(c, async (stream) => {
      try {
        await pump(stream, deps, userId, position, c.req.raw.signal);
      } catch (error) {
        // The client reconnects with Last-Event-ID; the cause stays in the log, not the stream.
        deps.log("warn", "event_stream_failed", { error_name: (error as Error).name });
      } finally {
        counter.release(userId);
      }
    });
  };
}

/** Writes events after `position` as they become final, until the client or the server stops. */
async function pump(
  stream: SSEStreamingApi,
  deps: AppDeps,
  userId: string,
  position: StreamPosition,
  clientGone: AbortSignal,
): Promise<void> {
  const { pollMs, heartbeatMs } = deps.config.eventStream;
  const stop = deps.stopping ? AbortSignal.any([clientGone, deps.stopping]) : clientGone;
  const stopped = () => stop.aborted || stream.aborted || stream.closed;
  await stream.write(`retry: ${RECONNECT_MS}\n\n`);
  // Elapsed real time (monotonic), as every timer here is; nothing is dated by it.
  let quietSince = performance.now();
  while (!stopped()) {
    const rows = await eventsAfter(deps.sql, userId, position, BATCH);
    for (const row of rows) {
      await stream.writeSSE({ id: row.id, data: JSON.stringify(eventJson(row)) });
      position = { ...position, xact: row.xact, seq: row.seq };
    }
    if (rows.length > 0) quietSince = performance.now();
    if (rows.length === BATCH) continue;
    if (performance.now() - quietSince >= heartbeatMs) {
      await stream.write(": heartbeat\n\n");
      quietSince = performance.now();
    }
    await pause(pollMs, stop);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
