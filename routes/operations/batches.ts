/**
 * Batch operations: POST /transactions/batch and POST /payments/bulk. Every item becomes the
 * command its single call would (the same builders), and the whole batch runs as one group of the
 * movement pipeline under one Idempotency-Key (db/pipeline.ts submitBatch, domain/batches.ts).
 */
import { findAccountIdsByNumbers } from "../../db/accounts.ts";
import { type BatchResult, submitBatch } from "../../db/pipeline.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { BankError, InvalidInputError } from "../../domain/errors.ts";
import type { CommandOf } from "../../domain/pipeline.ts";
import type { AppDeps } from "../app_env.ts";
import { type Problem, problemBody, problemForBankError } from "../problem.ts";
import { transactionAnswer, type TransactionJson } from "./answers.ts";
import {
  paymentAnswer,
  paymentCommand,
  type PaymentJson,
  type SendPaymentBody,
} from "./payments.ts";
import { type Answer, type Ran, type RequestContext, runOperation } from "./run.ts";
import type { TransferBody } from "./transfers.ts";

/** A batch request's body, as validated. */
export interface BatchBody<I> {
  items: I[];
  atomic: boolean;
}

/** How one item ended: posted, refused (and recorded), or failed on its own (not found). */
export type ItemStatus = "approved" | "rejected" | "failed";

/** A batch answer's body. */
export interface BatchJson<R> {
  id: string;
  atomic: boolean;
  results: R[];
}

/** A transfer batch's item result. */
export interface TransferItemJson {
  index: number;
  status: ItemStatus;
  transaction?: TransactionJson;
  problem?: Problem;
}

/** A payment batch's item result. */
export interface PaymentItemJson {
  index: number;
  status: ItemStatus;
  payment?: PaymentJson;
  problem?: Problem;
}

/** Transfers in one group: 201 with every item's result, or 422 batch_rejected (atomic). */
export async function transferBatch(
  deps: AppDeps,
  userId: string,
  body: BatchBody<TransferBody>,
  context: RequestContext,
): Promise<Ran<BatchResult<"transfer">, Answer<201, BatchJson<TransferItemJson>>>> {
  const destinations = await resolveDestinations(deps, body.items);
  // One request time for every item: the batch arrives at once (and reads its facts once).
  const realNow = deps.clock();
  const commands = body.items.map((item, index): CommandOf<"transfer"> => ({
    kind: "transfer",
    userId,
    fromAccountId: item.from_account_id,
    toAccountId: destinations[index],
    amount: item.amount,
    description: item.description ?? null,
    realNow,
  }));
  const id = crypto.randomUUID();
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/transactions/batch", body }, context },
    (options) =>
      submitBatch<"transfer">(deps.sql, { id, commands, atomic: body.atomic }, {
        rules: deps.fraudRules,
      }, options),
    (result) =>
      batchAnswer({ id, atomic: body.atomic }, result, (index, item): TransferItemJson => {
        if ("error" in item) return { index, status: "failed", problem: failedProblem(item.error) };
        const answer = transactionAnswer(item.result);
        return answer.ok
          ? { index, status: "approved", transaction: answer.body }
          : { index, status: "rejected", problem: answer.body };
      }),
  );
}

/** Payments in one group: 201 with every item's result, or 422 batch_rejected (atomic). */
export async function paymentBatch(
  deps: AppDeps,
  userId: string,
  body: BatchBody<SendPaymentBody>,
  context: RequestContext,
): Promise<Ran<BatchResult<"payment_out">, Answer<201, BatchJson<PaymentItemJson>>>> {
  const realNow = deps.clock();
  const commands = body.items.map((item) => ({ ...paymentCommand(deps, userId, item), realNow }));
  const id = crypto.randomUUID();
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/payments/bulk", body }, context },
    (options) =>
      submitBatch<"payment_out">(deps.sql, { id, commands, atomic: body.atomic }, {
        rules: deps.fraudRules,
      }, options),
    (result) =>
      batchAnswer({ id, atomic: body.atomic }, result, (index, item): PaymentItemJson => {
        if ("error" in item) return { index, status: "failed", problem: failedProblem(item.error) };
        const answer = paymentAnswer(item.result);
        return answer.ok
          ? { index, status: "approved", payment: answer.body }
          : { index, status: "rejected", problem: answer.body };
      }),
  );
}

/**
 * The batch's answer: every item in order (a failed item's problem is its own 404); a refused
 * atomic batch is a 422 batch_rejected problem carrying the same results.
 */
function batchAnswer<K extends "transfer" | "payment_out", R>(
  batch: { id: string; atomic: boolean },
  result: BatchResult<K>,
  itemJson: (index: number, item: BatchResult<K>["items"][number]) => R,
): Answer<201, BatchJson<R>> {
  const results = result.items.map((item, index) => itemJson(index, item));
  if (!result.rejected) return { ok: true, status: 201, body: { ...batch, results } };
  const first = result.items.findIndex((item) =>
    !("result" in item) || !item.result.verdict.approved
  );
  const detail = `Cannot post the atomic batch: item ${first} was refused, so no item posts; ` +
    "see each item's result";
  return {
    ok: false,
    status: 422,
    body: problemBody(422, "batch_rejected", detail, { ...batch, results }),
  };
}

// An item that failed on its own: the pipeline lets only the bank's own errors (a 404) through.
function failedProblem(error: unknown): Problem {
  if (error instanceof BankError) return problemForBankError(error);
  throw error;
}

// Each item's destination id: given, or looked up by number (one query for the batch). A bad
// check digit is a 400 naming the item; a number no account has is that item's 404, found by the
// planner when the id it is given (the nil UUID, which no account has) is not there.
async function resolveDestinations(deps: AppDeps, items: readonly TransferBody[]) {
  const numbers = items.map((item, index) => {
    if (item.to_account_id !== undefined) return undefined;
    const number = (item.to_account_number ?? "").replace(/[\s-]/g, "");
    if (!isValidAccountNumber(number)) {
      throw new InvalidInputError(
        `items.${index}.to_account_number`,
        "must be 10 digits with a valid check digit",
      );
    }
    return number;
  });
  const known = await findAccountIdsByNumbers(
    deps.sql,
    numbers.filter((number): number is string => number !== undefined),
  );
  return items.map((item, index) =>
    item.to_account_id ?? known.get(numbers[index] ?? "") ?? NO_ACCOUNT
  );
}

const NO_ACCOUNT = "00000000-0000-0000-0000-000000000000";
