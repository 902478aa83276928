/** The transfer operation: to one of the user's accounts by id, or to any account by number. */
import { findAccountIdByNumber } from "../../db/accounts.ts";
import type { MovementResult } from "../../db/movements.ts";
import { transfer as transferInDb } from "../../db/transfers.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import type { AppDeps } from "../app_env.ts";
import { transactionAnswer, type TransactionJson } from "./answers.ts";
import { type Answer, type Ran, type RequestContext, runOperation } from "./run.ts";

/** The body of POST /transactions/transfer, as validated (exactly one destination). */
export interface TransferBody {
  from_account_id: string;
  to_account_id?: string;
  to_account_number?: string;
  amount: string | number;
  description?: string | null;
  fx_quote_id?: string;
}

/**
 * Moves money after the fraud rules: 201 Transaction, or a 422 refusal. A bad account number is a
 * 400 and an unknown one a 404, before any key is claimed.
 */
export async function transfer(
  deps: AppDeps,
  userId: string,
  body: TransferBody,
  context: RequestContext,
): Promise<Ran<MovementResult, Answer<201, TransactionJson>>> {
  const toAccountId = body.to_account_id ?? await resolveAccountNumber(deps, body);
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/transactions/transfer", body }, context },
    (options) =>
      transferInDb(deps.sql, {
        userId,
        fromAccountId: body.from_account_id,
        toAccountId,
        ...(body.fx_quote_id ? { fxQuoteId: body.fx_quote_id } : {}),
        amount: body.amount,
        description: body.description ?? null,
        realNow: deps.clock(),
        rules: deps.fraudRules,
      }, options),
    transactionAnswer,
  );
}

/** The id of the account with `to_account_number`; a bad check digit is 400, no such account 404. */
async function resolveAccountNumber(
  deps: AppDeps,
  body: { to_account_number?: string },
): Promise<string> {
  const number = (body.to_account_number ?? "").replace(/[\s-]/g, "");
  if (!isValidAccountNumber(number)) {
    throw new InvalidInputError(
      "to_account_number",
      "must be 10 digits with a valid check digit",
    );
  }
  const id = await findAccountIdByNumber(deps.sql, number);
  if (!id) throw new NotFoundError("Destination account");
  return id;
}
