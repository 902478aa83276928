/**
 * The forwarder behind `deno task listen`: reads GET /events/stream and POSTs each event to a
 * local receiver, signed per Standard Webhooks as the bank signs its own deliveries
 * (db/webhook_worker.ts), resuming with Last-Event-ID whenever the connection drops.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { Webhook } from "standardwebhooks";

/** What the forwarder needs. */
export interface ForwarderOptions {
  apiUrl: string;
  apiKey: string;
  forwardTo: string;
  /** Event types to forward; empty forwards every type. */
  events: string[];
  secret: string;
  /** One line of output: a forwarded event, or a word about the connection. */
  print: (line: string) => void;
  signal: AbortSignal;
}

/** A refusal that reconnecting would not cure (a bad key, a resume point the bank does not know). */
export class ListenError extends Error {}

/** How long to wait before reconnecting after a dropped stream, unless the server says otherwise. */
const RECONNECT_MS = 1_000;
/** A receiver that takes longer than this to answer is reported as timed out. */
const FORWARD_TIMEOUT_MS = 10_000;

/** Runs until `signal` aborts; throws a ListenError for a refusal that retrying would not change. */
export async function forwardEvents(options: ForwarderOptions): Promise<void> {
  let lastEventId: string | undefined;
  let retryMs = RECONNECT_MS;
  while (!options.signal.aborted) {
    try {
      await readStream(options, lastEventId, {
        onEvent: (id) => (lastEventId = id),
        onRetry: (ms) => (retryMs = ms),
      });
      if (options.signal.aborted) return;
      options.print(`Stream ended; reconnecting${lastEventId ? ` after ${lastEventId}` : ""}`);
    } catch (error) {
      if (error instanceof ListenError || options.signal.aborted) throw error;
      options.print(`Connection lost (${(error as Error).message}); reconnecting`);
    }
    await pause(retryMs, options.signal);
  }
}

/** One connection: forwards its events in order until it ends. */
async function readStream(
  options: ForwarderOptions,
  lastEventId: string | undefined,
  on: { onEvent: (id: string) => void; onRetry: (ms: number) => void },
): Promise<void> {
  const response = await fetch(new URL("/events/stream", options.apiUrl), {
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      accept: "text/event-stream",
      ...(lastEventId ? { "last-event-id": lastEventId } : {}),
    },
    signal: options.signal,
  });
  if (!response.ok || !response.body) {
    const problem = await response.json().catch(() => ({}));
    const why = `${response.status} ${problem.detail ?? response.statusText}`;
    // 429 (too many streams) and 5xx pass with time; anything else is the caller's to fix.
    if (response.status === 429 || response.status >= 500) throw new Error(why);
    throw new ListenError(`The bank refused the stream: ${why}`);
  }
  // From here on every event written is streamed (the bank fixed the stream's start before its
  // headers): said, so a person (or a test) knows when to start the thing they want to see.
  options.print(`Connected to ${new URL("/events/stream", options.apiUrl)}`);
  const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(
    new EventSourceParserStream({ onRetry: on.onRetry }),
  );
  for await (const message of messages) {
    if (!message.id) continue;
    const event = JSON.parse(message.data) as { id: string; type: string };
    if (options.events.length === 0 || options.events.includes(event.type)) {
      options.print(await forwardOne(options, event.id, event.type, message.data));
    }
    // Past it either way: a reconnect resumes after it, so it is never forwarded twice.
    on.onEvent(message.id);
  }
}

/** POSTs one event, signed, and answers its output line: time, type, id and the receiver's status. */
async function forwardOne(
  options: ForwarderOptions,
  id: string,
  type: string,
  body: string,
): Promise<string> {
  const timestamp = new Date();
  const headers = {
    "content-type": "application/json",
    "user-agent": "BankApiSandbox-Listen/1",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(options.secret).sign(id, timestamp, body),
  };
  const line = `${timestamp.toISOString()}  ${type}  ${id}  -> `;
  try {
    const response = await fetch(options.forwardTo, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    return `${line}${response.status}`;
  } catch (error) {
    return `${line}failed (${
      (error as Error).name === "TimeoutError" ? "timed out" : "no answer"
    })`;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
