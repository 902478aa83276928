/** Hold operations: place, capture (all or part) and void. */
import { captureHold, type CaptureResult, placeHold, voidHold } from "../../db/holds.ts";
import type { HoldPlaceResult, HoldState } from "../../domain/pipeline.ts";
import type { AppDeps } from "../app_env.ts";
import { toHoldJson } from "../holds/schemas.ts";
import { okAnswer, refusalProblem } from "./answers.ts";
import { type Answer, type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** A Hold as JSON. */
export type HoldJson = ReturnType<typeof toHoldJson>;

/** The body of POST /accounts/{id}/holds, as validated. */
export interface PlaceHoldBody {
  amount: string | number;
  description?: string | null;
  expires_in_seconds: number;
}

/**
 * Reserves money on one of the user's accounts: 201 Hold; refused (the fraud rules, the available
 * balance), a 422 with the transaction_id of its recorded `hold` row.
 */
export async function place(
  deps: AppDeps,
  userId: string,
  input: { accountId: string; body: PlaceHoldBody },
  context: RequestContext,
): Promise<Ran<HoldPlaceResult, Answer<201, HoldJson>>> {
  const { accountId, body } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/accounts/${accountId}/holds`, body }, context },
    (options) =>
      placeHold(deps.sql, {
        userId,
        accountId,
        amount: body.amount,
        description: body.description ?? null,
        expiresInSeconds: body.expires_in_seconds,
        realNow: deps.clock(),
        rules: deps.fraudRules,
      }, options),
    ({ hold, entry, verdict }) => {
      if (hold) return okAnswer(201, toHoldJson(hold));
      const problem = refusalProblem({ entry, verdict });
      if (!problem) throw new Error("A hold placement without a hold must have been refused");
      return { ok: false, status: 422, body: problem };
    },
  );
}

/** Captures `amount` (default all) of an active hold: 200 Hold; above the hold, a recorded 422. */
export async function capture(
  deps: AppDeps,
  userId: string,
  input: { holdId: string; body: { amount?: string | number } },
  context: RequestContext,
): Promise<Ran<CaptureResult, Answer<200, HoldJson>>> {
  const { holdId, body } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/holds/${holdId}/capture`, body }, context },
    (options) =>
      captureHold(
        deps.sql,
        { userId, holdId, amount: body.amount, realNow: deps.clock() },
        options,
      ),
    ({ hold, entry, verdict }) => {
      const problem = refusalProblem({ entry, verdict });
      return problem ? { ok: false, status: 422, body: problem } : okAnswer(200, toHoldJson(hold));
    },
  );
}

/** Releases an active hold without taking money: 200 Hold. */
export async function release(
  deps: AppDeps,
  userId: string,
  holdId: string,
  context: RequestContext,
): Promise<Ran<{ hold: HoldState }, Success<200, HoldJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/holds/${holdId}/void`, body: {} }, context },
    (options) => voidHold(deps.sql, { userId, holdId, realNow: deps.clock() }, options),
    ({ hold }) => okAnswer(200, toHoldJson(hold)),
  );
}
