/**
 * The HTTP side of every money movement: Idempotency-Key claims and replays, and the answer —
 * 201 with the ledger entry, or 422 problem naming the refusal and its recorded transaction.
 */
import type { Context } from "hono";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyClaim,
  releaseIdempotencyKey,
  type StoredResponse,
} from "../db/idempotency.ts";
import type { MovementOptions, MovementResult } from "../db/movements.ts";
import { InvalidInputError } from "../domain/errors.ts";
import {
  parseSandboxFault,
  type SandboxFault,
  SimulatedFaultError,
} from "../domain/sandbox_faults.ts";
import type { AppEnv } from "./app_env.ts";
import { type Problem, problemBody, problemResponse } from "./problem.ts";
import { toTransactionJson } from "./transactions/schemas.ts";

/** Renders a movement's outcome as the response to store and send. */
export type MovementRenderer = (result: MovementResult) => StoredResponse;

/** 201 with the Transaction when approved; 422 problem with transaction_id when refused. */
export function renderTransaction(result: MovementResult): StoredResponse {
  const problem = refusalProblem(result);
  if (!problem) return { status: 201, body: JSON.stringify(toTransactionJson(result.entry)) };
  return { status: 422, body: JSON.stringify(problem) };
}

/** The 422 problem a refused movement answers (the API sends it; the pages render it). */
export function refusalProblem({ entry, verdict }: MovementResult): Problem | undefined {
  if (verdict.approved) return undefined;
  return problemBody(422, verdict.code, verdict.detail, {
    transaction_id: entry.id,
    reason: verdict.reason,
  });
}

/**
 * Runs a movement under the request's Idempotency-Key, if it has one. The stored response is
 * written inside the movement's transaction; a request that records nothing gives its key back.
 * A `Sandbox-Simulate` fault applies to a request that runs its movement; a replay answers the
 * stored response as it is, so a client retrying with the same headers gets the committed result.
 */
export async function respondToMovement(
  c: Context<AppEnv>,
  fingerprintBody: unknown,
  run: (options: MovementOptions) => Promise<MovementResult>,
  render: MovementRenderer = renderTransaction,
): Promise<Response> {
  const fault = parseSandboxFault(c.req.header("sandbox-simulate"));
  const key = c.req.header("idempotency-key");
  if (key !== undefined && (key.length < 1 || key.length > 255)) {
    throw new InvalidInputError("Idempotency-Key", "must be 1 to 255 characters");
  }
  const { deps, userId } = c.var;
  let claim: IdempotencyClaim | undefined;
  if (key !== undefined) {
    const fingerprint = await fingerprintOf(
      c.req.method,
      new URL(c.req.url).pathname,
      fingerprintBody,
    );
    const outcome = await claimIdempotencyKey(deps.sql, {
      userId,
      key,
      fingerprint,
      realNow: deps.clock(),
    });
    if (outcome.kind === "replay") return send(outcome.response, true);
    claim = outcome.claim;
  }
  if (fault) deps.log("info", "sandbox_fault_simulated", { fault: fault.kind, user_id: userId });
  let stored: StoredResponse | undefined;
  try {
    await run({
      commitBy: c.var.commitBy,
      alone: fault !== undefined,
      onRecorded: async (tx, result) => {
        stored = render(result);
        if (claim) await completeIdempotencyKey(tx, claim, stored);
        // After every write, before commit: the whole movement rolls back.
        if (fault?.kind === "error_before_commit") throw new SimulatedFaultError(fault.kind);
      },
    });
  } catch (error) {
    if (claim) await releaseIdempotencyKey(deps.sql, claim).catch(() => {});
    if (error instanceof SimulatedFaultError) return simulatedProblem(503, fault!.kind);
    throw error;
  }
  return await answerAfterCommit(stored!, fault);
}

/** The committed movement's answer, as the fault (if any) bends it. */
async function answerAfterCommit(
  stored: StoredResponse,
  fault: SandboxFault | undefined,
): Promise<Response> {
  switch (fault?.kind) {
    case "error_after_commit":
      return simulatedProblem(500, fault.kind);
    case "drop_after_commit":
      return droppedConnection(stored.status);
    case "latency":
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return send(stored, false);
    default:
      return send(stored, false);
  }
}

function simulatedProblem(status: 500 | 503, fault: SandboxFault["kind"]): Response {
  const detail = status === 503
    ? `Simulated failure before commit (Sandbox-Simulate: ${fault}): nothing was recorded; retry`
    : `Simulated failure after commit (Sandbox-Simulate: ${fault}): the movement was recorded; ` +
      "retry with the same Idempotency-Key for its result";
  const code = status === 503 ? "service_unavailable" : "internal_error";
  return problemResponse(problemBody(status, code, detail, { simulated_fault: fault }));
}

/**
 * A response whose body fails before its first byte: Deno.serve then aborts the connection, so
 * the client sees at most a status line and headers and a network error reading the body, as
 * when a connection dies mid-answer. The string reason keeps Deno's own log line to one line.
 */
function droppedConnection(status: number): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error("Sandbox-Simulate drop_after_commit: connection dropped after commit");
    },
  });
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

function send(response: StoredResponse, replayed: boolean): Response {
  const headers: Record<string, string> = {
    "content-type": response.status >= 400 ? "application/problem+json" : "application/json",
  };
  if (replayed) headers["idempotent-replayed"] = "true";
  return new Response(response.body, { status: response.status, headers });
}

/** A stable digest of method, path and body (object keys sorted, so key order does not matter). */
export async function fingerprintOf(method: string, path: string, body: unknown): Promise<string> {
  const text = `${method} ${path}\n${canonicalJson(body)}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).sort().map((key) =>
      `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`
    );
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
