/**
 * Cards: the page, and its forms posting to the same operations as the JSON API, each answered
 * Post/Redirect/Get: the outcome travels as a short code in the address, never as free text.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { findAuthorization, listAuthorizations, listCards } from "../../db/cards.ts";
import { reservedBy } from "../../domain/holds.ts";
import { BankError, NotFoundError } from "../../domain/errors.ts";
import { currencyOf, formatAmount } from "../../domain/money.ts";
import { cardsPage } from "../../views/cards.ts";
import { reasonLabel } from "../../views/format.ts";
import type { Notice } from "../../views/outcome.ts";
import { AuthorizeSchema, IssueCardSchema } from "../cards/schemas.ts";
import { authorize, changeStatus, issue, step } from "../operations/cards.ts";
import { problemForBankError } from "../problem.ts";
import { chromeOf } from "./chrome.ts";
import { formFields, pageAmount } from "./forms.ts";
import { pageContext, storedRefusal } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { readWindow, windowPage } from "./paging.ts";
import { requireSession } from "./session.ts";

/** Cards, and authorizations, per page of their lists, newest first ("Older" / "Newer"). */
export const CARDS_PAGE_ROWS = 20;

const Id = z.uuid();
const CardAction = z.enum(["freeze", "unfreeze", "cancel"]);
const Code = z.string().regex(/^[a-z_]{1,64}$/);
const CARDS_PATH = "/app/cards";

/** /app/cards and its actions. */
export function cardPages() {
  return new Hono<PageEnv>()
    .get("/cards", requireSession, async (c) => await render(c))
    .post("/cards", requireSession, async (c) => {
      const fields = await formFields(c);
      const body = IssueCardSchema.safeParse({ name_on_card: fields.name_on_card || null });
      const accountId = Id.safeParse(fields.account_id);
      if (!body.success || !accountId.success) return done(c, "invalid");
      return await attempt(c, async () => {
        await issue(c.var.deps, c.var.userId, {
          accountId: accountId.data,
          body: body.data,
        }, pageContext(c, fields));
        return "issued";
      });
    })
    .post("/cards/purchases", requireSession, async (c) => {
      const fields = await formFields(c);
      const parsed = AuthorizeSchema.safeParse({
        card_id: fields.card_id,
        amount: pageAmount(fields.amount),
        merchant: { name: fields.merchant_name ?? "", mcc: fields.mcc ?? "" },
      });
      if (!parsed.success) return done(c, "invalid");
      return await attempt(c, async () => {
        const ran = await authorize(c.var.deps, c.var.userId, parsed.data, pageContext(c, fields));
        if (ran.replayed) return "authorized";
        const { authorization } = ran.result;
        return authorization.declineReason
          ? `declined_${authorization.declineReason}`
          : "authorized";
      });
    })
    .post("/cards/:id/:action{freeze|unfreeze|cancel}", requireSession, async (c) => {
      const fields = await formFields(c);
      const cardId = Id.safeParse(c.req.param("id"));
      if (!cardId.success) throw new NotFoundError("Card");
      if (fields.confirm !== "yes") return done(c, "unconfirmed");
      const action = CardAction.parse(c.req.param("action"));
      return await attempt(c, async () => {
        const input = { cardId: cardId.data, action };
        await changeStatus(c.var.deps, c.var.userId, input, pageContext(c, fields));
        return action;
      });
    })
    .post("/card_authorizations/:id/:step{capture|reverse}", requireSession, async (c) => {
      const fields = await formFields(c);
      const id = Id.safeParse(c.req.param("id"));
      if (!id.success) throw new NotFoundError("Card authorization");
      return await attempt(c, async () => {
        const input = c.req.param("step") === "reverse"
          ? { step: "reverse" as const, authorizationId: id.data, body: {} }
          : await captureInput(c, id.data, fields);
        const ran = await step(c.var.deps, c.var.userId, input, pageContext(c, fields));
        const refusal = ran.replayed ? storedRefusal(ran.stored) : undefined;
        if (refusal) return `refused_${refusal.code}`;
        if (!ran.replayed && !ran.answer.ok) return `refused_${ran.answer.body.code}`;
        return input.step === "reverse" ? "reversed" : "captured";
      });
    });
}

// A blank amount captures everything the authorization still holds, and closes it.
async function captureInput(c: Context<PageEnv>, id: string, fields: Record<string, string>) {
  const amount = pageAmount(fields.amount);
  if (amount) {
    return {
      step: "capture" as const,
      authorizationId: id,
      body: { amount, final: fields.final === "yes" },
    };
  }
  const row = await findAuthorization(c.var.deps.sql, c.var.userId, id);
  if (!row) throw new NotFoundError("Card authorization");
  const all = formatAmount(reservedBy(row), currencyOf(row.currency));
  return { step: "capture" as const, authorizationId: id, body: { amount: all, final: true } };
}

// Runs an action and redirects with its outcome's code; a refusal the bank explains (400, 409,
// 422) is a code too, so the page shows it instead of an error page.
async function attempt(c: Context<PageEnv>, action: () => Promise<string>): Promise<Response> {
  try {
    return done(c, await action());
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    const { status } = problemForBankError(error);
    if (status === 404 || status === 401 || status >= 500) throw error;
    return done(c, status === 400 ? "invalid" : `refused_${error.code}`);
  }
}

function done(c: Context<PageEnv>, code: string): Response {
  return c.redirect(`${CARDS_PATH}?notice=${encodeURIComponent(code)}`, 303);
}

const SUCCESSES: Record<string, string> = {
  issued: "Card issued",
  authorized: "Purchase authorized: the amount is held",
  captured: "Captured",
  reversed: "Reversed: the held money is available again",
  freeze: "Card frozen: its purchases decline",
  unfreeze: "Card unfrozen",
  cancel: "Card cancelled",
};

/** The notice a redirect's code stands for; an unknown code shows nothing. */
export function noticeOf(code: string | undefined): Notice | undefined {
  if (!code || !Code.safeParse(code).success) return undefined;
  if (SUCCESSES[code]) return { tone: "success", title: SUCCESSES[code] };
  if (code === "invalid") {
    return {
      tone: "error",
      title: "Check the form",
      message: "Amounts are positive with at most two decimals; an MCC is four digits.",
    };
  }
  if (code === "unconfirmed") {
    return { tone: "error", title: "Nothing changed", message: "Tick the box to confirm." };
  }
  const declined = code.match(/^declined_(.+)$/);
  if (declined) {
    return { tone: "error", title: "Purchase declined", message: `${reasonLabel(declined[1])}.` };
  }
  const refused = code.match(/^refused_(.+)$/);
  if (refused) return { tone: "error", title: "Refused", message: `${reasonLabel(refused[1])}.` };
  return undefined;
}

// Each list pages on its own (`cards_older`, `authorizations_newer`, …); the purchase form offers
// the newest cards whichever page of cards is shown.
async function render(c: Context<PageEnv>) {
  const { deps, userId } = c.var;
  const cardsWindow = readWindow(c, "cards_");
  const authorizationsWindow = readWindow(c, "authorizations_");
  const limit = CARDS_PAGE_ROWS + 1;
  const [accounts, newest, cards, authorizations] = await Promise.all([
    listAccounts(deps.sql, userId, deps.clock()),
    listCards(deps.sql, { userId, limit: CARDS_PAGE_ROWS }),
    listCards(deps.sql, { userId, ...cardsWindow, limit }),
    listAuthorizations(deps.sql, { userId, ...authorizationsWindow, limit }),
  ]);
  const cardsPageShown = windowPage(cards, CARDS_PAGE_ROWS, cardsWindow);
  const authorizationsShown = windowPage(authorizations, CARDS_PAGE_ROWS, authorizationsWindow);
  return c.html(cardsPage({
    chrome: chromeOf(c, "Cards", "cards"),
    accounts,
    purchaseCards: newest,
    cards: cardsPageShown.rows,
    cardsPager: cardsPageShown.pager,
    authorizations: authorizationsShown.rows,
    authorizationsPager: authorizationsShown.pager,
    notice: noticeOf(c.req.query("notice")),
  }));
}
