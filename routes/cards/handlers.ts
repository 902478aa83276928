/** Handlers for cards, card authorizations and the card simulations. */
import { findAuthorization, findCard, listAuthorizations, listCards } from "../../db/cards.ts";
import type { CardAction } from "../../domain/cards.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { answerFor, runWithRequest, successFor } from "../movements.ts";
import * as operations from "../operations/cards.ts";
import { TransactionSchema } from "../transactions/schemas.ts";
import type {
  AuthorizeRoute,
  CaptureRoute,
  CardActionRoute,
  GetAuthorizationRoute,
  GetOneRoute,
  IncrementRoute,
  IssueRoute,
  ListAuthorizationsRoute,
  ListRoute,
  RefundRoute,
  ReverseRoute,
} from "./routes.ts";
import { AuthorizationSchema, CardSchema, toAuthorizationJson, toCardJson } from "./schemas.ts";

export const issue: AppRouteHandler<IssueRoute> = async (c) => {
  const input = { accountId: c.req.valid("param").id, body: c.req.valid("json") ?? {} };
  const ran = await runWithRequest(
    c,
    (context) => operations.issue(c.var.deps, c.var.userId, input, context),
  );
  const answer = await successFor(ran, { status: 201, schema: CardSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listCards(c.var.deps.sql, {
    userId: c.var.userId,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toCardJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const card = await findCard(c.var.deps.sql, c.var.userId, c.req.valid("param").id);
  if (!card) throw new NotFoundError("Card");
  return c.json(toCardJson(card), 200);
};

/** The handler of one lifecycle action. */
export function cardAction(action: CardAction): AppRouteHandler<CardActionRoute> {
  return async (c) => {
    const input = { cardId: c.req.valid("param").id, action };
    const ran = await runWithRequest(
      c,
      (context) => operations.changeStatus(c.var.deps, c.var.userId, input, context),
    );
    const answer = await successFor(ran, { status: 200, schema: CardSchema });
    return c.json(answer.body, answer.status, answer.headers);
  };
}

export const authorize: AppRouteHandler<AuthorizeRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => operations.authorize(c.var.deps, c.var.userId, body, context),
  );
  const answer = await successFor(ran, { status: 201, schema: AuthorizationSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const listAuthorizationsHandler: AppRouteHandler<ListAuthorizationsRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listAuthorizations(c.var.deps.sql, {
    userId: c.var.userId,
    cardId: query.card_id,
    status: query.status,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toAuthorizationJson), 200);
};

export const getAuthorization: AppRouteHandler<GetAuthorizationRoute> = async (c) => {
  const row = await findAuthorization(c.var.deps.sql, c.var.userId, c.req.valid("param").id);
  if (!row) throw new NotFoundError("Card authorization");
  return c.json(toAuthorizationJson(row), 200);
};

export const increment: AppRouteHandler<IncrementRoute> = async (c) => {
  const input = { step: "increment" as const, authorizationId: c.req.valid("param").id };
  const answer = await stepped(c, { ...input, body: c.req.valid("json") });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const capture: AppRouteHandler<CaptureRoute> = async (c) => {
  const input = { step: "capture" as const, authorizationId: c.req.valid("param").id };
  const answer = await stepped(c, { ...input, body: c.req.valid("json") });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const reverse: AppRouteHandler<ReverseRoute> = async (c) => {
  const input = { step: "reverse" as const, authorizationId: c.req.valid("param").id };
  const answer = await stepped(c, { ...input, body: c.req.valid("json") ?? {} });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

/** An authorization step's answer: 200 with the authorization, or the refusal naming its row. */
async function stepped(c: Context<AppEnv>, input: Parameters<typeof operations.step>[2]) {
  const ran = await runWithRequest(
    c,
    (context) => operations.step(c.var.deps, c.var.userId, input, context),
  );
  return await answerFor(ran, { status: 200, schema: AuthorizationSchema });
}

export const refund: AppRouteHandler<RefundRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => operations.refund(c.var.deps, c.var.userId, body, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: TransactionSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};
