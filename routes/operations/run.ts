/**
 * How every state-changing operation runs, for the API and the pages alike: under the request's
 * Idempotency-Key (claimed first, completed inside the operation's own transaction, given back
 * when nothing was recorded), with its deadline for COMMIT and the fault it was asked to show.
 */
import type { Tx } from "../../db/client.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyClaim,
  releaseIdempotencyKey,
  type StoredResponse,
} from "../../db/idempotency.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { type SandboxFault, SimulatedFaultError } from "../../domain/sandbox_faults.ts";
import type { AppDeps } from "../app_env.ts";
import type { Problem } from "../problem.ts";

/** The longest Idempotency-Key accepted, in characters. */
export const IDEMPOTENCY_KEY_CHARS_MAX = 255;

/** What a request brings to an operation besides its input. */
export interface RequestContext {
  /** Epoch ms by which the operation must have sent its COMMIT (the request's deadline). */
  commitBy: number;
  /** The API's Idempotency-Key header, or the page form's own key. */
  idempotencyKey?: string;
  /** A `Sandbox-Simulate` fault (API only); the HTTP side bends the answer after commit. */
  fault?: SandboxFault;
}

/** An operation's success as the API answers it: its status and body. */
export interface Success<S extends 200 | 201, B> {
  ok: true;
  status: S;
  body: B;
}

/** A refusal that was recorded (on the ledger), answered 422 with its problem. */
export interface Refusal {
  ok: false;
  status: 422;
  body: Problem;
}

/** The API's answer to an operation that may be refused. */
export type Answer<S extends 200 | 201, B> = Success<S, B> | Refusal;

/** Any answer an operation renders. */
export type AnyAnswer = Success<200 | 201, unknown> | Refusal;

/**
 * What running an operation gave: the result it computed and its answer, or (the key had
 * already been used for this request) the answer stored then, replayed.
 */
export type Ran<R, A extends AnyAnswer> =
  | { replayed: false; result: R; answer: A; fault?: SandboxFault }
  | { replayed: true; stored: StoredResponse };

/** The request an operation stands for: its fingerprint is what makes two keys' uses the same. */
export interface OperationRequest {
  method: "POST";
  /** The API path, so a page action and the API request it mirrors share one fingerprint. */
  path: string;
  /** The API body, as validated. */
  body: unknown;
}

/** Hooks an operation's db function accepts: written inside its transaction, and its deadline. */
export interface RunOptions<R> {
  onRecorded: (tx: Tx, result: R) => Promise<void>;
  commitBy: number;
  /** A faulted movement goes alone, so its rollback takes no other request with it. */
  alone: boolean;
}

/**
 * Runs `run` under the context's key. The answer is rendered and stored inside the operation's
 * transaction; a throw (a 404, a 409, a refusal that records nothing, the simulated fault before
 * commit) gives the key back and propagates.
 */
export async function runOperation<R, A extends AnyAnswer>(
  deps: AppDeps,
  userId: string,
  operation: { request: OperationRequest; context: RequestContext },
  run: (options: RunOptions<R>) => Promise<R>,
  render: (result: R) => A,
): Promise<Ran<R, A>> {
  const { request, context } = operation;
  const { idempotencyKey: key, fault } = context;
  if (key !== undefined && (key.length < 1 || key.length > IDEMPOTENCY_KEY_CHARS_MAX)) {
    throw new InvalidInputError("Idempotency-Key", "must be 1 to 255 characters");
  }
  let claim: IdempotencyClaim | undefined;
  if (key !== undefined) {
    const fingerprint = await fingerprintOf(request.method, request.path, request.body);
    const outcome = await claimIdempotencyKey(deps.sql, {
      userId,
      key,
      fingerprint,
      realNow: deps.clock(),
    });
    if (outcome.kind === "replay") return { replayed: true, stored: outcome.response };
    claim = outcome.claim;
  }
  if (fault) deps.log("info", "sandbox_fault_simulated", { fault: fault.kind, user_id: userId });
  let answer: A | undefined;
  try {
    const result = await run({
      commitBy: context.commitBy,
      alone: fault !== undefined,
      onRecorded: async (tx, recorded) => {
        answer = render(recorded);
        if (claim) await completeIdempotencyKey(tx, claim, storedOf(answer));
        // After every write, before commit: the whole operation rolls back.
        if (fault?.kind === "error_before_commit") throw new SimulatedFaultError(fault.kind);
      },
    });
    // onRecorded ran inside the committed transaction, so the answer is set.
    return { replayed: false, result, answer: answer ?? render(result), fault };
  } catch (error) {
    // A release that cannot reach the database leaves the claim to lapse (IDEMPOTENCY_CLAIM_SECONDS).
    if (claim) await releaseIdempotencyKey(deps.sql, claim).catch(logReleaseFailure(deps));
    throw error;
  }
}

function logReleaseFailure(deps: AppDeps): (error: unknown) => void {
  return (error) => {
    const { code } = (error ?? {}) as { code?: unknown };
    deps.log("warn", "idempotency_release_failed", { code: String(code ?? "unknown") });
  };
}

/** An answer as the idempotency record stores it. */
export function storedOf(answer: AnyAnswer): StoredResponse {
  return { status: answer.status, body: JSON.stringify(answer.body) };
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
