/** Handlers for simulations: inbound payments, forced outcomes, and the sandbox clock. */
import {
  advanceClock as advance,
  joinClock as join,
  leaveClock as leave,
  readClock,
} from "../../db/clock.ts";
import { forcePaymentOutcome, receivePayment } from "../../db/payments.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import type { Counterparty } from "../../domain/payments.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { jsonStored, respondToOperation } from "../idempotent.ts";
import { toPaymentJson } from "../payments/schemas.ts";
import type {
  AdvanceClockRoute,
  GetClockRoute,
  InboundPaymentRoute,
  JoinClockRoute,
  LeaveClockRoute,
  ReturnPaymentRoute,
  SettlePaymentRoute,
} from "./routes.ts";
import { toClockJson } from "./schemas.ts";

/** Who an inbound payment comes from when the simulation does not say. */
const SIMULATED_SENDER: Counterparty = {
  name: "Simulated sender",
  bank_code: "SIMBANK",
  account_number: "0000000000",
};

export const inboundPayment: AppRouteHandler<InboundPaymentRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const accountNumber = body.account_number.replace(/[\s-]/g, "");
  if (!isValidAccountNumber(accountNumber)) {
    throw new InvalidInputError("account_number", "must be 10 digits with a valid check digit");
  }
  const response = await respondToOperation(
    c,
    body,
    (options) =>
      receivePayment(deps.sql, {
        userId,
        accountNumber,
        amount: body.amount,
        counterparty: body.counterparty ?? SIMULATED_SENDER,
        description: body.description ?? null,
        realNow: deps.clock(),
        settlementSeconds: deps.config.paymentSettlementSeconds,
      }, options),
    ({ payment }) => jsonStored(201, toPaymentJson(payment)),
  );
  return response as never;
};

export const settlePayment: AppRouteHandler<SettlePaymentRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const response = await respondToOperation(
    c,
    {},
    (options) =>
      forcePaymentOutcome(deps.sql, {
        userId,
        paymentId: id,
        outcome: { kind: "settle" },
        realNow: deps.clock(),
      }, options),
    ({ payment }) => jsonStored(200, toPaymentJson(payment)),
  );
  return response as never;
};

export const returnPayment: AppRouteHandler<ReturnPaymentRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const response = await respondToOperation(
    c,
    body,
    (options) =>
      forcePaymentOutcome(deps.sql, {
        userId,
        paymentId: id,
        outcome: { kind: "return", reason: body.reason },
        realNow: deps.clock(),
      }, options),
    ({ payment }) => jsonStored(200, toPaymentJson(payment)),
  );
  return response as never;
};

export const getClock: AppRouteHandler<GetClockRoute> = async (c) => {
  const clock = await readClock(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  return c.json(toClockJson(clock), 200);
};

export const advanceClock: AppRouteHandler<AdvanceClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const clock = await advance(deps.sql, {
    userId,
    // The schema lets exactly one through; a missing seconds would be refused as below 1.
    advance: body.to === undefined ? { seconds: body.seconds ?? 0 } : { to: new Date(body.to) },
    realNow: deps.clock(),
  });
  return c.json(toClockJson(clock), 200);
};

export const joinClock: AppRouteHandler<JoinClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { clock_id } = c.req.valid("json");
  const clock = await join(deps.sql, { userId, clockId: clock_id, realNow: deps.clock() });
  return c.json(toClockJson(clock), 200);
};

export const leaveClock: AppRouteHandler<LeaveClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const clock = await leave(deps.sql, { userId, realNow: deps.clock() });
  return c.json(toClockJson(clock), 200);
};
