/** Hold operations: place, capture (all or part) and void. */
import {
  captureHold,
  type CaptureResult,
  type HoldRow,
  placeHold,
  voidHold,
} from "../../db/holds.ts";
import type { AppDeps } from "../app_env.ts";
import { toHoldJson } from "../holds/schemas.ts";
import { okAnswer } from "./answers.ts";
import { type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** A Hold as JSON. */
export type HoldJson = ReturnType<typeof toHoldJson>;

/** The body of POST /accounts/{id}/holds, as validated. */
export interface PlaceHoldBody {
  amount: string | number;
  description?: string | null;
  expires_in_seconds: number;
}

/** Reserves money on one of the user's accounts: 201 Hold; beyond the available, a 422 error. */
export async function place(
  deps: AppDeps,
  userId: string,
  input: { accountId: string; body: PlaceHoldBody },
  context: RequestContext,
): Promise<Ran<{ hold: HoldRow }, Success<201, HoldJson>>> {
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
      }, options),
    ({ hold }) => okAnswer(201, toHoldJson(hold)),
  );
}

/** Captures `amount` (default all) of an active hold: 200 Hold. */
export async function capture(
  deps: AppDeps,
  userId: string,
  input: { holdId: string; body: { amount?: string | number } },
  context: RequestContext,
): Promise<Ran<CaptureResult, Success<200, HoldJson>>> {
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
    ({ hold }) => okAnswer(200, toHoldJson(hold)),
  );
}

/** Releases an active hold without taking money: 200 Hold. */
export async function release(
  deps: AppDeps,
  userId: string,
  holdId: string,
  context: RequestContext,
): Promise<Ran<{ hold: HoldRow }, Success<200, HoldJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/holds/${holdId}/void`, body: {} }, context },
    (options) => voidHold(deps.sql, { userId, holdId, realNow: deps.clock() }, options),
    ({ hold }) => okAnswer(200, toHoldJson(hold)),
  );
}
