/** Helpers for webhook tests: registering endpoints and running the worker until a condition. */
import type { Sql } from "../../db/client.ts";
import { deliverDueWebhooks } from "../../db/webhook_worker.ts";
import type { Config } from "../../config.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { call, type Customer, type Requestable } from "./client.ts";

/** A webhook endpoint as created, with its secret. */
export interface EndpointJson {
  id: string;
  url: string;
  secret: string;
  event_types: string[];
  enabled: boolean;
}

/** Registers a webhook endpoint for the customer. */
export async function createEndpoint(
  app: Requestable,
  customer: Customer,
  body: Record<string, unknown>,
): Promise<EndpointJson> {
  const reply = await call<EndpointJson>(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body,
  });
  if (reply.status !== 201) throw new Error(`create endpoint failed: ${reply.status}`);
  return reply.body;
}

/** The endpoint's deliveries as the API shows them. */
export async function deliveriesOf(
  app: Requestable,
  customer: Customer,
  endpointId: string,
): Promise<Record<string, unknown>[]> {
  const reply = await call<{ data: Record<string, unknown>[] }>(
    app,
    "GET",
    `/webhook_endpoints/${endpointId}/deliveries`,
    { token: customer.token },
  );
  if (reply.status !== 200) throw new Error(`deliveries failed: ${reply.status}`);
  return reply.body.data;
}

const PASSES_MAX = 400;
const PAUSE_MS = 10;

/**
 * Runs worker passes until `done()` holds; throws if it never does. Passes are bounded in number,
 * not in time: the assertion is about what happened, never how fast. Real time unless `clock`.
 */
export async function runWorkerUntil(
  deps: { sql: Sql; config: Config; clock?: () => Date },
  done: () => boolean | Promise<boolean>,
): Promise<void> {
  const worker = { clock: () => new Date(), ...deps, log: createMemoryLogger() };
  for (let pass = 0; pass < PASSES_MAX; pass++) {
    await deliverDueWebhooks(worker);
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  throw new Error("The worker never reached the expected state");
}
