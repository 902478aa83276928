/** Handlers for transfers and ledger reads. */
import { findOwnAccount, listAccounts } from "../../db/accounts.ts";
import { findLedgerEntry, listLedger } from "../../db/ledger.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { amountBounds } from "./filters.ts";
import { answerFor, runWithRequest } from "../movements.ts";
import { transfer as runTransfer } from "../operations/transfers.ts";
import { transferBatch } from "../operations/batches.ts";
import type { BatchRoute, GetOneRoute, ListRoute, TransferRoute } from "./routes.ts";
import { toTransactionJson, TransactionSchema, TransferBatchResultSchema } from "./schemas.ts";

export const transfer: AppRouteHandler<TransferRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => runTransfer(c.var.deps, c.var.userId, body, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: TransactionSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const batch: AppRouteHandler<BatchRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => transferBatch(c.var.deps, c.var.userId, body, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: TransferBatchResultSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { deps, userId } = c.var;
  const query = c.req.valid("query");
  let accounts = await listAccounts(deps.sql, userId, deps.clock());
  if (query.account_id) {
    const account = await findOwnAccount(deps.sql, userId, query.account_id, deps.clock());
    if (!account) throw new NotFoundError("Account");
    accounts = [account];
  }
  const amounts = amountBounds(query, accounts.map((account) => account.currency));
  const rows = await listLedger(deps.sql, {
    accountIds: accounts.map((account) => account.id),
    type: query.type,
    status: query.status,
    text: query.q,
    ...amounts,
    from: query.created_after ? new Date(query.created_after) : undefined,
    to: query.created_before ? new Date(query.created_before) : undefined,
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
