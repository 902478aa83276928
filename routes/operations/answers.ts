/** The API answers operations render inside their transactions (and store for replay). */
import type { MovementResult } from "../../db/movements.ts";
import { type Problem, problemBody } from "../problem.ts";
import { toTransactionJson } from "../transactions/schemas.ts";
import type { Answer, Success } from "./run.ts";

/** A Transaction as JSON. */
export type TransactionJson = ReturnType<typeof toTransactionJson>;

/** 201 with the Transaction when approved; 422 problem with transaction_id when refused. */
export function transactionAnswer(result: MovementResult): Answer<201, TransactionJson> {
  const problem = refusalProblem(result);
  if (problem) return { ok: false, status: 422, body: problem };
  return { ok: true, status: 201, body: toTransactionJson(result.entry) };
}

/** The 422 problem a refused movement answers (the API sends it; the pages render it). */
export function refusalProblem(
  { entry, verdict }: MovementResult,
  extensions: Record<string, unknown> = {},
): Problem | undefined {
  if (verdict.approved) return undefined;
  return problemBody(422, verdict.code, verdict.detail, {
    transaction_id: entry.id,
    reason: verdict.reason,
    ...extensions,
  });
}

/** A success answer with its status and body. */
export function okAnswer<S extends 200 | 201, B>(status: S, body: B): Success<S, B> {
  return { ok: true, status, body };
}
