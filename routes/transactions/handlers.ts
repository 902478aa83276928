/** Handlers for transfers and ledger reads. */
import { findAccountIdByNumber, findOwnAccount, listAccounts } from "../../db/accounts.ts";
import { findLedgerEntry, listLedger } from "../../db/ledger.ts";
import { transfer as runTransfer } from "../../db/transfers.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { respondToMovement } from "../movements.ts";
import type { GetOneRoute, ListRoute, TransferRoute } from "./routes.ts";
import { toTransactionJson } from "./schemas.ts";

export const transfer: AppRouteHandler<TransferRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const toAccountId = body.to_account_id ?? await resolveAccountNumber(c.var.deps, body);
  const response = await respondToMovement(c, body, (options) =>
    runTransfer(deps.sql, {
      userId,
      fromAccountId: body.from_account_id,
      toAccountId,
      amount: body.amount,
      description: body.description ?? null,
      realNow: deps.clock(),
      rules: deps.fraudRules,
    }, options));
  // The response was rendered (and perhaps stored) inside the transaction; its type is the route's.
  return response as never;
};

/** The id of the account with `to_account_number`; a bad check digit is 400, no such account 404. */
export async function resolveAccountNumber(
  deps: { sql: Parameters<typeof findAccountIdByNumber>[0] },
  body: { to_account_number?: string },
): Promise<string> {
  const number = body.to_account_number!.replace(/[\s-]/g, "");
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

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { deps, userId } = c.var;
  const query = c.req.valid("query");
  let accountIds: string[];
  if (query.account_id) {
    const account = await findOwnAccount(deps.sql, userId, query.account_id);
    if (!account) throw new NotFoundError("Account");
    accountIds = [account.id];
  } else {
    accountIds = (await listAccounts(deps.sql, userId)).map((account) => account.id);
  }
  const rows = await listLedger(deps.sql, {
    accountIds,
    type: query.type,
    status: query.status,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toTransactionJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const entry = await findLedgerEntry(c.var.deps.sql, c.var.userId, id);
  if (!entry) throw new NotFoundError("Transaction");
  return c.json(toTransactionJson(entry), 200);
};
