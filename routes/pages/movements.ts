/** What the pages make of a money movement: the same result and refusal problem as the API. */
import type { MovementResult } from "../../db/movements.ts";
import type { FraudRule } from "../../domain/fraud/mod.ts";
import type { AccountView } from "../../domain/representations.ts";
import type { MovementOutcome } from "../../views/outcome.ts";
import { refusalProblem } from "../movements.ts";

/** The outcome panel's data: new balances when approved, the API's refusal problem when not. */
export function outcomeOf(
  result: MovementResult,
  context: { accounts: AccountView[]; rules: readonly FraudRule[] },
): MovementOutcome {
  const problem = refusalProblem(result);
  if (problem) {
    const reason = String(problem.reason);
    return {
      kind: "refused",
      refusal: {
        code: problem.code,
        reason,
        detail: problem.detail,
        transactionId: String(problem.transaction_id),
        ruleDescription: context.rules.find((rule) => rule.reason === reason)?.description,
      },
    };
  }
  const { entry } = result;
  const touched = context.accounts.filter((account) =>
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
