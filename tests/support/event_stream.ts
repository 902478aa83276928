/** A client of GET /events/stream for tests: messages in a queue, each awaited with a deadline. */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { Requestable } from "./client.ts";

/** One message of the stream, its data parsed. */
export interface StreamMessage {
  id: string | undefined;
  data: { id: string; type: string; data: { object: Record<string, unknown> } };
}

/** An open stream, or the refusal it met. */
export interface OpenedStream {
  response: Response;
  /** The next message; rejects after `timeoutMs` without one. */
  next(timeoutMs?: number): Promise<StreamMessage>;
  /** Resolves true if no message arrives within `ms` (the one that did stays queued). */
  quietFor(ms: number): Promise<boolean>;
  comments: string[];
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** Opens the stream with `token` (and `headers`, such as Last-Event-ID). */
export async function openEventStream(
  app: Requestable,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<OpenedStream> {
  const aborter = new AbortController();
  const response = await app.request("/events/stream", {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: aborter.signal,
  });
  const queue: StreamMessage[] = [];
  const comments: string[] = [];
  let wake = () => {};
  let ended: Promise<void> = Promise.resolve();
  let reader: ReadableStreamDefaultReader<{ id?: string; data: string }> | undefined;
  if (response.ok && response.body) {
    reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(
      new EventSourceParserStream({ onComment: (comment) => comments.push(comment) }),
    ).getReader();
    const current = reader;
    ended = (async () => {
      for (;;) {
        const { done, value } = await current.read().catch(() => ({
          done: true,
          value: undefined,
        }));
        if (done || !value) return;
        queue.push({ id: value.id, data: JSON.parse(value.data) });
        wake();
      }
    })();
  }
  const waitFor = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (queue.length > 0) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  return {
    response,
    comments,
    ended,
    async next(timeoutMs = 3_000) {
      if (!(await waitFor(timeoutMs))) throw new Error(`no stream message in ${timeoutMs} ms`);
      return queue.shift()!;
    },
    async quietFor(ms: number) {
      return !(await waitFor(ms));
    },
    async close() {
      await reader?.cancel().catch(() => {});
      aborter.abort();
      if (!response.bodyUsed) await response.body?.cancel().catch(() => {});
      await ended;
    },
  };
}
