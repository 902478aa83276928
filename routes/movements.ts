/**
 * The API side of every state-changing operation: the request's context (deadline,
 * Idempotency-Key, Sandbox-Simulate fault) in, and the operation's answer out, typed as its route
 * documents it — a fresh one as rendered, a replayed one checked against the route's schema.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { StoredResponse } from "../db/idempotency.ts";
import {
  parseSandboxFault,
  type SandboxFault,
  SimulatedFaultError,
} from "../domain/sandbox_faults.ts";
import type { AppEnv } from "./app_env.ts";
import type { Answer, AnyAnswer, Ran, RequestContext, Success } from "./operations/run.ts";
import { type Problem, problemBody, problemResponse } from "./problem.ts";
import { ProblemSchema } from "./schemas.ts";

export { fingerprintOf } from "./operations/run.ts";

const PROBLEM_JSON = { "content-type": "application/problem+json" };

/**
 * What reads a stored answer's body back: the route's zod schema, seen only through `parse`. B is
 * never inferred from the schema (NoInfer): inferring it from a zod object's type parameters is
 * deep enough to hit TypeScript's instantiation limit (TS2589) in a whole-project check.
 */
export interface BodyReader<B> {
  parse(data: unknown): NoInfer<B>;
}
const REPLAYED = { "idempotent-replayed": "true" };

/** The request's deadline, Idempotency-Key and Sandbox-Simulate fault, for an operation. */
export function requestContext(c: Context<AppEnv>): RequestContext {
  return {
    commitBy: c.var.commitBy,
    idempotencyKey: c.req.header("idempotency-key"),
    fault: parseSandboxFault(c.req.header("sandbox-simulate")),
  };
}

/**
 * Runs an operation with the request's context; the simulated fault before commit (the operation
 * rolled back and gave its key back) answers 503.
 */
export async function runWithRequest<T>(
  c: Context<AppEnv>,
  operation: (context: RequestContext) => Promise<T>,
): Promise<T> {
  const context = requestContext(c);
  try {
    return await operation(context);
  } catch (error) {
    if (error instanceof SimulatedFaultError) {
      throw new HTTPException(503, { res: simulatedProblem(503, error.fault) });
    }
    throw error;
  }
}

/** An answer ready to send: its status and body, and the headers a replay or fault adds. */
export type ReadyAnswer<S extends 200 | 201, B> =
  | { ok: true; status: S; body: B; headers: Record<string, string> }
  | { ok: false; status: 422; body: Problem; headers: Record<string, string> };

/**
 * The answer of an operation its route lets refuse (422), typed as the route documents it. A
 * replay is the stored answer as it is (marked `Idempotent-Replayed`), so a client retrying with
 * the same headers gets the committed result; a fresh answer is bent by the request's fault after
 * commit, if it asked for one. The handler sends it with `c.json`, where its types are concrete:
 * a generic helper calling `c.json` on a type parameter made whole-project checks hit
 * TypeScript's instantiation limit (TS2589).
 */
export async function answerFor<S extends 200 | 201, B extends object>(
  ran: Ran<unknown, Answer<S, B>>,
  success: { status: S; schema: BodyReader<B> },
): Promise<ReadyAnswer<S, B>> {
  const { answer, headers } = await answerOf(ran, (stored) => storedAnswer(stored, success));
  if (!answer.ok) return { ...answer, headers: { ...headers, ...PROBLEM_JSON } };
  return { ...answer, headers };
}

/** As answerFor, for an operation that is never refused (its route has no 422 answer). */
export async function successFor<S extends 200 | 201, B extends object>(
  ran: Ran<unknown, Success<S, B>>,
  success: { status: S; schema: BodyReader<B> },
): Promise<{ status: S; body: B; headers: Record<string, string> }> {
  const { answer, headers } = await answerOf(ran, (stored) => {
    const read = storedAnswer(stored, success);
    if (!read.ok) throw new Error("Stored answer is a refusal, which this route never sends");
    return read;
  });
  return { status: answer.status, body: answer.body, headers };
}

async function answerOf<A extends AnyAnswer>(
  ran: Ran<unknown, A>,
  read: (stored: StoredResponse) => A,
): Promise<{ answer: A; headers: Record<string, string> }> {
  if (ran.replayed) return { answer: read(ran.stored), headers: REPLAYED };
  await bendAfterCommit(ran.fault, ran.answer.status);
  return { answer: ran.answer, headers: {} };
}

/** A stored answer read back: a programmer error (a crash) if it is not what the route sends. */
function storedAnswer<S extends 200 | 201, B>(
  stored: StoredResponse,
  success: { status: S; schema: BodyReader<B> },
): Answer<S, B> {
  const body: unknown = JSON.parse(stored.body);
  if (stored.status === 422) return { ok: false, status: 422, body: ProblemSchema.parse(body) };
  if (stored.status !== success.status) {
    throw new Error(`Stored answer has status ${stored.status}, not ${success.status}`);
  }
  return { ok: true, status: success.status, body: success.schema.parse(body) };
}

/** error_after_commit and drop_after_commit leave as thrown answers; latency waits first. */
async function bendAfterCommit(fault: SandboxFault | undefined, status: number): Promise<void> {
  switch (fault?.kind) {
    case "error_after_commit":
      throw new HTTPException(500, { res: simulatedProblem(500, fault.kind) });
    case "drop_after_commit":
      throw new HTTPException(500, { res: droppedConnection(status) });
    case "latency":
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
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
