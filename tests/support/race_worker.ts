/**
 * A Web Worker that sends money requests through its own app and database pool. Each worker has
 * its own module instances, so the in-process account queue does not serialise one worker's
 * requests against another's: only the database's locks stand between them.
 */
/// <reference lib="deno.worker" />
import { testApp } from "./app.ts";
import { call } from "./client.ts";

/** What the test asks a worker to send. */
export interface RaceOrder {
  token: string;
  requests: { path: string; body: unknown }[];
  /** Configuration overrides for the worker's app (the racing test's own). */
  env?: Record<string, string>;
}

self.onmessage = async (message: MessageEvent<RaceOrder>) => {
  const { app, sql } = await testApp({ env: message.data.env });
  const statuses = await Promise.all(
    message.data.requests.map(async (request) =>
      (await call(app, "POST", request.path, { token: message.data.token, body: request.body }))
        .status
    ),
  );
  await sql.end();
  self.postMessage(statuses);
};
