/**
 * Payments to other banks: the page, sending, and forcing a pending payment's outcome (the clock
 * is the toolbar's, toolbar.ts). Input is checked with the JSON API's schemas; the same
 * operations move the money; each action is Post/Redirect/Get (prg.ts).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { findPayment, listPayments } from "../../db/payments.ts";
import { readUserClock } from "../../db/users.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import {
  MAGIC_COUNTERPARTY_NUMBERS,
  RETURN_REASONS,
  returnCodeFor,
} from "../../domain/payments.ts";
import { RateLimitedError } from "../../domain/errors.ts";
import { VerifyPayeeSchema } from "../account_verifications/schemas.ts";
import { verifyPayee } from "../operations/account_verifications.ts";
import { dateTimeText, money, reasonLabel } from "../../views/format.ts";
import type { Notice } from "../../views/outcome.ts";
import {
  livePayments,
  payeeCheckHint,
  type PayeeCheckView,
  paymentsPage,
  type PaymentsPageData,
} from "../../views/payments.ts";
import { ReturnPaymentSchema, SendPaymentSchema } from "../payments/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields, pageAmount } from "./forms.ts";
import { forceOutcome, sendPayment } from "../operations/payments.ts";
import {
  outcomeOf,
  outcomeStatus,
  pageContext,
  refusedOutcome,
  storedObjectId,
  storedRefusal,
} from "./movements.ts";
import { liveAnswer, versionOf } from "./live.ts";
import type { PageEnv } from "./page_env.ts";
import { readWindow, windowPage, windowParams } from "./paging.ts";
import { pageAction } from "./prg.ts";
import { isHtmx, requireSession } from "./session.ts";

/** Payments per page of the list, newest first ("Older" / "Newer" page through the rest). */
export const PAYMENTS_PAGE_ROWS = 25;

const Id = z.uuid();

const MAGIC_NUMBERS = Object.entries(MAGIC_COUNTERPARTY_NUMBERS).map(([number, outcome]) => ({
  accountNumber: number,
  outcome: outcome.kind === "return"
    ? `returned: ${reasonLabel(outcome.reason).toLowerCase()} (${returnCodeFor(outcome.reason)})`
    : outcome.kind === "manual"
    ? "stays pending until you settle or return it"
    : outcome.kind === "settle_then_return"
    ? `settles, then returned: ${reasonLabel(outcome.reason).toLowerCase()} ` +
      `(${returnCodeFor(outcome.reason)}) ${outcome.afterBusinessDays} business days later`
    : "settles",
}));

type Extras = Pick<PaymentsPageData, "values" | "outcome" | "notice" | "payeeCheck">;

/** /app/payments and its actions. */
export function paymentPages() {
  return new Hono<PageEnv>()
    .get("/payments", requireSession, async (c) => await render(c, {}))
    // The payments list alone, for its live region: 204 while nothing in it changed.
    .get("/payments/live", requireSession, async (c) => {
      const data = await pageData(c, {});
      return await liveAnswer(c, data.version, () => c.html(livePayments(data)));
    })
    .post("/payments", requireSession, async (c) => {
      const fields = await formFields(c);
      return await pageAction(c, fields, "/app/payments", async () => {
        const outcome = await runPayment(c, fields);
        // Nothing was recorded: the form again, as typed, to correct.
        // Refused (recorded) or invalid: shown in place with what was typed, to correct; a
        // re-post of this form replays the recorded refusal under its key.
        if (outcome.kind === "invalid" || outcome.kind === "refused") {
          return await render(c, { outcome, values: fields }, outcomeStatus(outcome));
        }
        return { notice: paymentNotice(outcome) };
      });
    })
    // "Check payee": the same operation as POST /account_verifications. With htmx only the hint
    // is swapped; without it the form comes back whole, as typed, with the answer under it.
    .post("/payments/check_payee", requireSession, async (c) => {
      const fields = await formFields(c);
      const payeeCheck = await checkPayee(c, fields);
      if (isHtmx(c)) return c.html(payeeCheckHint(payeeCheck));
      return await render(c, { values: fields, payeeCheck });
    })
    .post("/payments/:id/:kind{settle|return}", requireSession, async (c) => {
      const id = c.req.param("id");
      if (!Id.safeParse(id).success) throw new NotFoundError("Payment");
      const kind = c.req.param("kind");
      const fields = await formFields(c);
      return await pageAction(c, fields, "/app/payments", async () => {
        if (kind === "settle") return { notice: await runForce(c, id, { kind }, fields) };
        const parsed = ReturnPaymentSchema.safeParse({ reason: fields.reason });
        if (!parsed.success) {
          return await render(c, {
            notice: { tone: "error", title: "Choose a return reason from the list" },
          }, 400);
        }
        const outcome = { kind: "return" as const, reason: parsed.data.reason };
        return { notice: await runForce(c, id, outcome, fields) };
      });
    });
}

async function checkPayee(
  c: Context<PageEnv>,
  fields: Record<string, string>,
): Promise<PayeeCheckView> {
  const parsed = VerifyPayeeSchema.safeParse({
    account_number: (fields.account_number ?? "").replace(/[\s-]/g, ""),
    name: fields.counterparty_name ?? "",
    ...(fields.bank_code ? { bank_code: fields.bank_code } : {}),
  });
  if (!parsed.success) return { result: "invalid", matchedName: null };
  try {
    const answer = await verifyPayee(c.var.deps, c.var.userId, parsed.data);
    return { result: answer.result, matchedName: answer.matched_name };
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return { result: "limited", matchedName: null };
  }
}

async function runForce(
  c: Context<PageEnv>,
  paymentId: string,
  outcome: { kind: "settle" } | { kind: "return"; reason: string },
  fields: Record<string, string>,
): Promise<Notice> {
  const { deps, userId } = c.var;
  try {
    const input = { paymentId, outcome };
    const ran = await forceOutcome(deps, userId, input, pageContext(c, fields));
    const payment = ran.replayed
      ? await findPayment(deps.sql, userId, storedObjectId(ran.stored))
      : ran.result.payment;
    if (!payment) throw new NotFoundError("Payment");
    const title = payment.status === "settled"
      ? "Payment settled"
      : `Payment returned: ${reasonLabel(payment.returnReason ?? "")}`;
    return { tone: "success", title, message: `Payment ${payment.id}.` };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return { tone: "error", title: "Nothing changed", message: `${error.message}.` };
  }
}

// What the page says after the redirect: the payment sent.
function paymentNotice(outcome: PaymentOutcome): Notice {
  if (outcome.kind === "sent") {
    const { payment } = outcome;
    return {
      tone: "success",
      title: `Payment of ${money(payment.amount, payment.currency)} sent`,
      message: `It is pending (${payment.rail === "eft" ? "EFT" : "instant"}), and settles at ${
        dateTimeText(payment.settlesAt)
      } on your sandbox clock. Payment ${payment.id}.`,
    };
  }
  throw new Error("Only a sent payment is shown after the redirect");
}

type PaymentOutcome = NonNullable<PaymentsPageData["outcome"]>;

async function runPayment(
  c: Context<PageEnv>,
  fields: Record<string, string>,
): Promise<NonNullable<PaymentsPageData["outcome"]>> {
  const { deps, userId } = c.var;
  const parsed = SendPaymentSchema.safeParse({
    from_account_id: fields.from_account_id,
    amount: pageAmount(fields.amount),
    counterparty: {
      name: fields.counterparty_name ?? "",
      bank_code: fields.bank_code ?? "",
      account_number: (fields.account_number ?? "").replace(/[\s-]/g, ""),
    },
    description: fields.description || null,
    ...(fields.rail ? { rail: fields.rail } : {}),
  });
  if (!parsed.success) {
    const errors = invalidFields(parsed.error.issues);
    return { kind: "invalid", message: Object.values(errors).join(" "), errors };
  }
  try {
    const ran = await sendPayment(deps, userId, parsed.data, pageContext(c, fields));
    if (ran.replayed) {
      const problem = storedRefusal(ran.stored);
      if (problem) return refusedOutcome(problem, deps.fraudRules);
      const payment = await findPayment(deps.sql, userId, storedObjectId(ran.stored));
      if (!payment) throw new NotFoundError("Payment");
      return { kind: "sent", payment };
    }
    if (ran.result.verdict.approved) return { kind: "sent", payment: ran.result.payment };
    const accounts = await listAccounts(deps.sql, userId, deps.clock());
    return outcomeOf(ran.result, { accounts, rules: deps.fraudRules });
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const message = `The amount ${error.problem}.`;
      return { kind: "invalid", message, errors: { amount: message } };
    }
    throw error;
  }
}

const FIELD_NAMES: Record<string, string> = {
  from_account_id: "Choose the account to pay from.",
  amount: "Enter an amount.",
  name: "Enter the name of the person or business you are paying (up to 140 characters).",
  bank_code: "The bank code must be 1 to 11 letters or digits.",
  account_number: "Their account number must be 4 to 34 digits.",
  description: "Keep the description to 500 characters.",
  rail: "Choose Instant or EFT.",
};

// The message of each field at fault, keyed by the form input's id (the counterparty's name is
// `name` in the API's body, `counterparty_name` in the form).
function invalidFields(issues: { path: PropertyKey[] }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of new Set(issues.map((issue) => String(issue.path.at(-1))))) {
    errors[field === "name" ? "counterparty_name" : field] = FIELD_NAMES[field] ??
      `Check ${field}.`;
  }
  return errors;
}

async function render(c: Context<PageEnv>, extras: Extras, status = 200) {
  return c.html(paymentsPage(await pageData(c, extras)), status as 200);
}

async function pageData(c: Context<PageEnv>, extras: Extras): Promise<PaymentsPageData> {
  const { deps, userId } = c.var;
  const accounts = await listAccounts(deps.sql, userId, deps.clock());
  const window = readWindow(c);
  const page = windowPage(
    await listPayments(deps.sql, { userId, ...window, limit: PAYMENTS_PAGE_ROWS + 1 }),
    PAYMENTS_PAGE_ROWS,
    window,
  );
  const clock = await readUserClock(deps.sql, userId, deps.clock());
  return {
    chrome: chromeOf(c, "Payments", "payments"),
    accounts,
    payments: page.rows,
    pager: page.pager,
    liveParams: windowParams(window),
    clock,
    returnReasons: RETURN_REASONS,
    magicNumbers: MAGIC_NUMBERS,
    settlementSeconds: deps.config.paymentSettlementSeconds,
    // What the list shows of each payment that can change, its pages' links, and the accounts'
    // numbers.
    version: await versionOf([
      page.rows.map((p) => [p.id, p.status, p.returnReason, p.settlesAt]),
      page.pager,
      accounts.map((account) => [account.id, account.accountNumber]),
    ]),
    ...extras,
  };
}
