/** Idempotency-Key handling for operations whose outcome is not a bare ledger entry. */
import type { Context } from "hono";
import type { StoredResponse } from "../db/idempotency.ts";
import type { Tx } from "../db/client.ts";
import type { AppEnv } from "./app_env.ts";
import { respondToMovement } from "./movements.ts";

/**
 * respondToMovement for payments, holds and simulations: the same claim, stored response and
 * replay, with a result type of the operation's own. The one cast is here: respondToMovement
 * passes the result it is given straight through to the renderer.
 */
export async function respondToOperation<R>(
  c: Context<AppEnv>,
  fingerprintBody: unknown,
  run: (
    options: { onRecorded?: (tx: Tx, result: unknown) => Promise<void>; commitBy?: number },
  ) => Promise<R>,
  render: (result: NoInfer<R>) => StoredResponse,
): Promise<Response> {
  return await respondToMovement(c, fingerprintBody, run as never, render as never);
}

/** A 200 or 201 JSON response to store and send. */
export function jsonStored(status: 200 | 201, body: unknown): StoredResponse {
  return { status, body: JSON.stringify(body) };
}
