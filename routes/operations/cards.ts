/** Card operations, for the API and the pages alike: issue, lifecycle, and the card simulations. */
import {
  authorize as authorizeInDb,
  type CardRow,
  cardStep,
  changeCardStatus,
  issueCard,
} from "../../db/cards.ts";
import { readUserClock } from "../../db/users.ts";
import type { CardAction } from "../../domain/cards.ts";
import type { CardAuthorizeResult, CardStepResult } from "../../domain/pipeline.ts";
import type { AppDeps } from "../app_env.ts";
import { toAuthorizationJson, toCardJson } from "../cards/schemas.ts";
import { toTransactionJson } from "../transactions/schemas.ts";
import { okAnswer, refusalProblem, type TransactionJson } from "./answers.ts";
import { type Answer, type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** A Card as JSON. */
export type CardJson = ReturnType<typeof toCardJson>;
/** A CardAuthorization as JSON. */
export type AuthorizationJson = ReturnType<typeof toAuthorizationJson>;

const SECONDS_PER_DAY = 86_400;

/** Issues a card on one of the user's accounts: 201 Card. */
export async function issue(
  deps: AppDeps,
  userId: string,
  input: { accountId: string; body: { name_on_card?: string | null } },
  context: RequestContext,
): Promise<Ran<CardRow, Success<201, CardJson>>> {
  const { accountId, body } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/accounts/${accountId}/cards`, body }, context },
    async ({ onRecorded }) => {
      const { now } = await readUserClock(deps.sql, userId, deps.clock());
      const nameOnCard = body.name_on_card ?? null;
      return await issueCard(deps.sql, { userId, accountId, nameOnCard, now }, { onRecorded });
    },
    (card) => okAnswer(201, toCardJson(card)),
  );
}

/** Freezes, unfreezes or cancels one of the user's cards: 200 Card. */
export async function changeStatus(
  deps: AppDeps,
  userId: string,
  input: { cardId: string; action: CardAction },
  context: RequestContext,
): Promise<Ran<CardRow, Success<200, CardJson>>> {
  const { cardId, action } = input;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: `/cards/${cardId}/${action}`, body: {} }, context },
    ({ onRecorded }) => changeCardStatus(deps.sql, { userId, cardId, action }, { onRecorded }),
    (card) => okAnswer(200, toCardJson(card)),
  );
}

/** The body of POST /simulations/card_authorizations, as validated. */
export interface AuthorizeBody {
  card_id: string;
  amount: string | number;
  merchant: { name: string; mcc: string; country?: string | null };
  simulate_decline?: string | null;
}

/** A merchant's authorization: 201 Authorization, approved (pending) or declined alike. */
export async function authorize(
  deps: AppDeps,
  userId: string,
  body: AuthorizeBody,
  context: RequestContext,
): Promise<Ran<CardAuthorizeResult, Success<201, AuthorizationJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/simulations/card_authorizations", body }, context },
    (options) =>
      authorizeInDb(deps.sql, {
        userId,
        cardId: body.card_id,
        amount: body.amount,
        merchant: {
          name: body.merchant.name,
          mcc: body.merchant.mcc,
          country: body.merchant.country ?? null,
        },
        simulateDecline: body.simulate_decline ?? null,
        expiresInSeconds: deps.config.cardAuthorizationDays * SECONDS_PER_DAY,
        realNow: deps.clock(),
        rules: deps.fraudRules,
      }, options),
    ({ authorization }) => okAnswer(201, toAuthorizationJson(authorization)),
  );
}

/** A step on an authorization as the API names it, with its validated body. */
export type StepInput =
  | { step: "increment"; authorizationId: string; body: { amount: string | number } }
  | {
    step: "capture";
    authorizationId: string;
    body: { amount: string | number; final: boolean };
  }
  | { step: "reverse"; authorizationId: string; body: { amount?: string | number } };

/**
 * Increments, captures or reverses one of the user's authorizations: 200 Authorization; a
 * refusal (an increment declined, a capture past the authorization or the balance) is a
 * recorded 422.
 */
export async function step(
  deps: AppDeps,
  userId: string,
  input: StepInput,
  context: RequestContext,
): Promise<Ran<CardStepResult, Answer<200, AuthorizationJson>>> {
  const { authorizationId } = input;
  const path = `/simulations/card_authorizations/${authorizationId}/${input.step}`;
  const base = { userId, authorizationId, realNow: deps.clock() };
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path, body: input.body }, context },
    (options) => {
      const rules = { rules: deps.fraudRules };
      switch (input.step) {
        case "increment":
          return cardStep(
            deps.sql,
            { kind: "card_increment", ...base, ...input.body },
            rules,
            options,
          );
        case "capture":
          return cardStep(
            deps.sql,
            { kind: "card_capture", ...base, ...input.body },
            rules,
            options,
          );
        case "reverse":
          return cardStep(
            deps.sql,
            { kind: "card_reverse", ...base, ...input.body },
            rules,
            options,
          );
      }
    },
    (result) => {
      const problem = result.entry && result.verdict
        ? refusalProblem({ entry: result.entry, verdict: result.verdict })
        : undefined;
      if (problem) return { ok: false, status: 422, body: problem };
      return okAnswer(200, toAuthorizationJson(result.authorization));
    },
  );
}

/** A merchant's refund of a captured authorization: 201 Transaction card_refund, or a 422. */
export async function refund(
  deps: AppDeps,
  userId: string,
  body: { authorization_id: string; amount: string | number },
  context: RequestContext,
): Promise<Ran<CardStepResult, Answer<201, TransactionJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/simulations/card_refunds", body }, context },
    (options) =>
      cardStep(
        deps.sql,
        {
          kind: "card_refund",
          userId,
          authorizationId: body.authorization_id,
          amount: body.amount,
          realNow: deps.clock(),
        },
        { rules: deps.fraudRules },
        options,
      ),
    ({ entry, verdict }) => {
      if (!entry || !verdict) throw new Error("A refund always writes its card_refund row");
      const problem = refusalProblem({ entry, verdict });
      if (problem) return { ok: false, status: 422, body: problem };
      return okAnswer(201, toTransactionJson(entry));
    },
  );
}
