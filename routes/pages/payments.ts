/**
 * Payments to other banks: the page, sending, forcing a pending payment's outcome, and the
 * sandbox clock's advance (shared by every page that shows the clock). Input is checked with the
 * JSON API's schemas; the same db/ functions move the money.
 */
import { dueSettingsFor } from "../operations/schedules.ts";
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { advanceUserClock } from "../../db/clock.ts";
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
import { reasonLabel } from "../../views/format.ts";
import {
  CLOCK_UNITS,
  payeeCheckHint,
  type PayeeCheckView,
  type PaymentFormValues,
  paymentsPage,
  type PaymentsPageData,
} from "../../views/payments.ts";
import { ReturnPaymentSchema, SendPaymentSchema } from "../payments/schemas.ts";
import { ClockSecondsSchema } from "../simulations/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields } from "./forms.ts";
import { forceOutcome, sendPayment } from "../operations/payments.ts";
import {
  outcomeOf,
  outcomeStatus,
  pageContext,
  refusedOutcome,
  storedObjectId,
  storedRefusal,
} from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { isHtmx, requireSession, safeNextPath } from "./session.ts";

/** Payments the page lists, newest first. */
export const PAYMENTS_PAGE_ROWS = 50;

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

/** /app/payments, its actions, and POST /app/clock/advance. */
export function paymentPages() {
  return new Hono<PageEnv>()
    .get("/payments", requireSession, async (c) => await render(c, {}))
    .post("/payments", requireSession, async (c) => {
      const fields = await formFields(c);
      const values: PaymentFormValues = fields;
      const outcome = await runPayment(c, fields);
      if (outcome.kind === "sent") {
        return await render(c, { outcome, values: { from_account_id: fields.from_account_id } });
      }
      return await render(c, { outcome, values }, outcomeStatus(outcome));
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
      const { deps, userId } = c.var;
      const id = c.req.param("id");
      if (!Id.safeParse(id).success) throw new NotFoundError("Payment");
      const kind = c.req.param("kind");
      const fields = await formFields(c);
      let outcome: { kind: "settle" } | { kind: "return"; reason: string } = { kind: "settle" };
      if (kind === "return") {
        const parsed = ReturnPaymentSchema.safeParse({ reason: fields.reason });
        if (!parsed.success) {
          return await render(c, {
            notice: { tone: "error", title: "Choose a return reason from the list" },
          }, 400);
        }
        outcome = { kind: "return", reason: parsed.data.reason };
      }
      try {
        const input = { paymentId: id, outcome };
        const ran = await forceOutcome(deps, userId, input, pageContext(c, fields));
        const payment = ran.replayed
          ? await findPayment(deps.sql, userId, storedObjectId(ran.stored))
          : ran.result.payment;
        if (!payment) throw new NotFoundError("Payment");
        const title = payment.status === "settled"
          ? "Payment settled"
          : `Payment returned: ${reasonLabel(payment.returnReason ?? "")}`;
        return await render(c, { notice: { tone: "success", title } });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return await render(c, {
          notice: { tone: "error", title: "Nothing changed", message: `${error.message}.` },
        }, 409);
      }
    })
    .post("/clock/advance", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const fields = await formFields(c);
      const back = safeNextPath(fields.back);
      const unit = CLOCK_UNITS[fields.unit as keyof typeof CLOCK_UNITS];
      const count = /^\d{1,9}$/.test(fields.amount ?? "") ? Number(fields.amount) : NaN;
      const parsed = ClockSecondsSchema.safeParse(unit ? count * unit : NaN);
      if (!parsed.success) {
        throw new InvalidInputError(
          "Advance",
          "must be a whole number of seconds, minutes, hours or days, from 1 second to 365 days",
        );
      }
      await advanceUserClock(deps.sql, {
        userId,
        seconds: parsed.data,
        realNow: deps.clock(),
        due: dueSettingsFor(deps),
      });
      return c.redirect(back, 303);
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

async function runPayment(
  c: Context<PageEnv>,
  fields: Record<string, string>,
): Promise<NonNullable<PaymentsPageData["outcome"]>> {
  const { deps, userId } = c.var;
  const parsed = SendPaymentSchema.safeParse({
    from_account_id: fields.from_account_id,
    amount: fields.amount ?? "",
    counterparty: {
      name: fields.counterparty_name ?? "",
      bank_code: fields.bank_code ?? "",
      account_number: (fields.account_number ?? "").replace(/[\s-]/g, ""),
    },
    description: fields.description || null,
    ...(fields.rail ? { rail: fields.rail } : {}),
  });
  if (!parsed.success) {
    return { kind: "invalid", message: invalidMessage(parsed.error.issues) };
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
      return { kind: "invalid", message: `The amount ${error.problem}.` };
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

function invalidMessage(issues: { path: PropertyKey[] }[]): string {
  const fields = [...new Set(issues.map((issue) => String(issue.path.at(-1))))];
  return fields.map((field) => FIELD_NAMES[field] ?? `Check ${field}.`).join(" ");
}

async function render(c: Context<PageEnv>, extras: Extras, status = 200) {
  const { deps, userId } = c.var;
  const accounts = await listAccounts(deps.sql, userId, deps.clock());
  const payments = await listPayments(deps.sql, { userId, limit: PAYMENTS_PAGE_ROWS });
  const clock = await readUserClock(deps.sql, userId, deps.clock());
  return c.html(
    paymentsPage({
      chrome: chromeOf(c, "Payments", "payments"),
      accounts,
      payments,
      clock,
      returnReasons: RETURN_REASONS,
      magicNumbers: MAGIC_NUMBERS,
      settlementSeconds: deps.config.paymentSettlementSeconds,
      ...extras,
    }),
    status as 200,
  );
}
