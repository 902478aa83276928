/** Payment operations: sending to another bank, and the simulations that settle, return or receive. */
import {
  type ForcedOutcome,
  forcePaymentOutcome,
  type PaymentResult,
  receivePayment,
  sendPayment as sendInDb,
} from "../../db/payments.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import type { Counterparty, PaymentRail } from "../../domain/payments.ts";
import type { ClearingSettings, CommandOf, PaymentState } from "../../domain/pipeline.ts";
import type { AppDeps } from "../app_env.ts";
import { toPaymentJson } from "../payments/schemas.ts";
import { okAnswer, refusalProblem } from "./answers.ts";
import { type Answer, type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** A Payment as JSON. */
export type PaymentJson = ReturnType<typeof toPaymentJson>;

/** The body of POST /payments, as validated. */
export interface SendPaymentBody {
  from_account_id: string;
  amount: string | number;
  counterparty: Counterparty;
  description?: string | null;
  rail?: PaymentRail;
}

/** The clearing settings the configuration gives. */
export function clearingOf(deps: AppDeps): ClearingSettings {
  return {
    settlementSeconds: deps.config.paymentSettlementSeconds,
    calendar: deps.config.clearingCalendar,
  };
}

/** Sends a payment: 201 with the pending Payment, or a 422 refusal naming its ledger row. */
export async function sendPayment(
  deps: AppDeps,
  userId: string,
  body: SendPaymentBody,
  context: RequestContext,
): Promise<Ran<PaymentResult, Answer<201, PaymentJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/payments", body }, context },
    (options) =>
      sendInDb(deps.sql, {
        ...paymentCommand(deps, userId, body),
        rules: deps.fraudRules,
      }, options),
    paymentAnswer,
  );
}

/**
 * The payment_out command a POST /payments body asks for: one place, so a single payment and a
 * bulk item (routes/operations/batches.ts) carry the same fields.
 */
export function paymentCommand(
  deps: AppDeps,
  userId: string,
  body: SendPaymentBody,
): CommandOf<"payment_out"> {
  return {
    kind: "payment_out",
    userId,
    accountId: body.from_account_id,
    amount: body.amount,
    counterparty: body.counterparty,
    description: body.description ?? null,
    realNow: deps.clock(),
    rail: body.rail ?? "instant",
    clearing: clearingOf(deps),
  };
}

/** 201 with the pending Payment; 422 with the refusal's problem naming its row and payment. */
export function paymentAnswer(result: PaymentResult): Answer<201, PaymentJson> {
  const problem = refusalProblem(result, { payment_id: result.payment.id });
  if (problem) return { ok: false, status: 422, body: problem };
  return okAnswer(201, toPaymentJson(result.payment));
}

/** Settles or returns one of the user's pending payments now: 200 Payment; not pending is 409. */
export async function forceOutcome(
  deps: AppDeps,
  userId: string,
  input: { paymentId: string; outcome: ForcedOutcome },
  context: RequestContext,
): Promise<Ran<{ payment: PaymentState }, Success<200, PaymentJson>>> {
  const { paymentId, outcome } = input;
  const body = outcome.kind === "return"
    ? { reason: outcome.reason, ...(outcome.code ? { code: outcome.code } : {}) }
    : {};
  const path = `/simulations/payments/${paymentId}/${outcome.kind}`;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path, body }, context },
    (options) =>
      forcePaymentOutcome(deps.sql, {
        userId,
        paymentId,
        outcome,
        realNow: deps.clock(),
        returnWindowDays: deps.config.paymentReturnWindowDays,
      }, options),
    ({ payment }) => okAnswer(200, toPaymentJson(payment)),
  );
}

/** The body of POST /simulations/inbound_payments, as validated. */
export interface InboundPaymentBody {
  account_number: string;
  amount: string | number;
  counterparty?: Counterparty;
  description?: string | null;
  rail?: PaymentRail;
}

/** Who an inbound payment comes from when the simulation does not say. */
const SIMULATED_SENDER: Counterparty = {
  name: "Simulated sender",
  bank_code: "SIMBANK",
  account_number: "0000000000",
};

/** Announces a payment from another bank into one of the user's accounts: 201 Payment. */
export async function receiveInbound(
  deps: AppDeps,
  userId: string,
  body: InboundPaymentBody,
  context: RequestContext,
): Promise<Ran<{ payment: PaymentState }, Success<201, PaymentJson>>> {
  const accountNumber = body.account_number.replace(/[\s-]/g, "");
  if (!isValidAccountNumber(accountNumber)) {
    throw new InvalidInputError("account_number", "must be 10 digits with a valid check digit");
  }
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/simulations/inbound_payments", body }, context },
    (options) =>
      receivePayment(deps.sql, {
        userId,
        accountNumber,
        amount: body.amount,
        counterparty: body.counterparty ?? SIMULATED_SENDER,
        description: body.description ?? null,
        realNow: deps.clock(),
        rail: body.rail ?? "instant",
        clearing: clearingOf(deps),
      }, options),
    ({ payment }) => okAnswer(201, toPaymentJson(payment)),
  );
}
