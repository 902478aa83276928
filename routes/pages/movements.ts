/**
 * What the pages make of an operation: the request context they pass (the request's deadline
 * and the form's idempotency key), and the outcome panel's data from the operation's result —
 * or, when the form had already been submitted, from the answer stored then.
 */
import type { Context } from "hono";
import { z } from "zod";
import type { StoredResponse } from "../../db/idempotency.ts";
import { findLedgerEntry } from "../../db/ledger.ts";
import type { MovementResult } from "../../db/movements.ts";
import type { FraudRule } from "../../domain/fraud/mod.ts";
import type { AccountView } from "../../domain/representations.ts";
import type { LedgerEntry } from "../../domain/ledger.ts";
import { IDEMPOTENCY_KEY_FIELD } from "../../views/layout.ts";
import type { MovementOutcome, Refusal } from "../../views/outcome.ts";
import type { AppDeps } from "../app_env.ts";
import { refusalProblem, type TransactionJson } from "../operations/answers.ts";
import type { Answer, Ran, RequestContext } from "../operations/run.ts";
import type { Problem } from "../problem.ts";
import { ProblemSchema } from "../schemas.ts";
import type { PageEnv } from "./page_env.ts";

/** The page request's context: its deadline, and the submitted form's idempotency key. */
export function pageContext(c: Context<PageEnv>, fields: Record<string, string>): RequestContext {
  const key = fields[IDEMPOTENCY_KEY_FIELD];
  return { commitBy: c.var.commitBy, idempotencyKey: key ? key : undefined };
}

const StoredId = z.object({ id: z.uuid() });

/** The id of the object a stored success answer holds (a replayed form's result). */
export function storedObjectId(stored: StoredResponse): string {
  return StoredId.parse(JSON.parse(stored.body)).id;
}

/** The refusal problem a stored 422 answer holds, or undefined for a success. */
export function storedRefusal(stored: StoredResponse): Problem | undefined {
  return stored.status === 422 ? ProblemSchema.parse(JSON.parse(stored.body)) : undefined;
}

/** The outcome panel of a movement, run now or replayed. */
export async function movementOutcomeOf(
  deps: AppDeps,
  userId: string,
  ran: Ran<MovementResult, Answer<201, TransactionJson>>,
  accounts: AccountView[],
): Promise<MovementOutcome> {
  if (!ran.replayed) return outcomeOf(ran.result, { accounts, rules: deps.fraudRules });
  const problem = storedRefusal(ran.stored);
  if (problem) return refusedOutcome(problem, deps.fraudRules);
  const entry = await findLedgerEntry(deps.sql, userId, storedObjectId(ran.stored));
  if (!entry) throw new Error("A replayed movement's ledger entry is missing");
  return approvedOutcome(entry, accounts);
}

/** The outcome panel's data: new balances when approved, the API's refusal problem when not. */
export function outcomeOf(
  result: MovementResult,
  context: { accounts: AccountView[]; rules: readonly FraudRule[] },
): MovementOutcome {
  const problem = refusalProblem(result);
  if (problem) return refusedOutcome(problem, context.rules);
  return approvedOutcome(result.entry, context.accounts);
}

/** A refusal's outcome, with the fraud rule's explanation when a rule refused it. */
export function refusedOutcome(problem: Problem, rules: readonly FraudRule[]): MovementOutcome {
  const reason = String(problem.reason);
  const refusal: Refusal = {
    code: problem.code,
    reason,
    detail: problem.detail,
    transactionId: String(problem.transaction_id),
    ruleDescription: rules.find((rule) => rule.reason === reason)?.description,
  };
  return { kind: "refused", refusal };
}

function approvedOutcome(entry: LedgerEntry, accounts: AccountView[]): MovementOutcome {
  const touched = accounts.filter((account) =>
    account.id === entry.fromAccountId || account.id === entry.toAccountId
  );
  return {
    kind: "approved",
    entry,
    balances: touched.map((account) => ({
      accountNumber: account.accountNumber,
      currency: account.currency,
      balance: account.balance,
    })),
  };
}

/** The HTTP status a page answers an outcome with: as the API would (201 shown as 200). */
export function outcomeStatus(outcome: MovementOutcome): 200 | 400 | 422 {
  return outcome.kind === "approved" ? 200 : outcome.kind === "refused" ? 422 : 400;
}
